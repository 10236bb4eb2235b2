/* mcp-launch-job.exe [--client] "<command>": run one command inside a Job Object, so that its
 * whole tree (what it starts, their detached children) ends with it, on every path: the job has
 * JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE and only this process holds its handle, so when this
 * process ends for any reason (its control pipe closed because mcp-launch died, or it was
 * killed) the kernel kills the tree.
 *
 * Server mode (the default): the command is a cmd.exe command line, run as
 * `%ComSpec% /d /v:off /s /c "<command>"`, suspended, in a new process group, stdin NUL,
 * stdout/stderr this process's. mcp-launch starts this process detached (so it is outside the
 * job libuv puts children in, which would kill it with mcp-launch before it could clean up); it
 * attaches to mcp-launch's console, which the command then shares, so CTRL_BREAK_EVENT can
 * reach the command's group. Control lines come on stdin.
 *
 * Client mode (--client): the command is a whole command line (a program and its quoted
 * arguments), run suspended in mcp-launch's console and process group (Ctrl-C typed there
 * reaches it) with this process's stdin, stdout and stderr (mcp-launch's: the client owns the
 * terminal). This process is not detached: it dies with mcp-launch, and the kernel ends the
 * client's job with it. Control lines come on fd 4, since stdin is the client's. When the client
 * exits, its job is ended (nothing it started outlives it) and this process exits.
 *
 * Control lines:   go (resume it)  break (CTRL_BREAK_EVENT to its group)  kill (TerminateJobObject)
 *                  count (live processes in the job)  pids (their ids)  tmp <dir> (remove at the end)
 * Lines on fd 3 (when open): pid <n>  exit <code>  count <n>  pids <n> <n>...  error <what> <code>
 * At EOF on the control pipe: the job is terminated, the tmp directory removed, and this process exits. */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

static HANDLE job, answers = INVALID_HANDLE_VALUE;
static CRITICAL_SECTION lock;
static wchar_t tmp[MAX_PATH];

static void answer(const char *text) {
	DWORD written;
	EnterCriticalSection(&lock);
	if (answers != INVALID_HANDLE_VALUE) WriteFile(answers, text, (DWORD)strlen(text), &written, NULL);
	LeaveCriticalSection(&lock);
}

static BOOL WINAPI ignore(DWORD event) { (void)event; return TRUE; } /* Ctrl-C on the console is the client's. */

static BOOL clientMode;

static DWORD WINAPI watch(LPVOID process) {
	DWORD code = 0;
	char text[32];
	WaitForSingleObject(process, INFINITE);
	GetExitCodeProcess(process, &code);
	if (clientMode) TerminateJobObject(job, code); /* The client's tree ends with it. */
	snprintf(text, sizeof text, "exit %lu\n", code);
	answer(text);
	if (clientMode) ExitProcess(code);
	return 0;
}

static void listPids(void) {
	static union { JOBOBJECT_BASIC_PROCESS_ID_LIST list; char room[sizeof(JOBOBJECT_BASIC_PROCESS_ID_LIST) + 1024 * sizeof(ULONG_PTR)]; } ids;
	char text[16 * 1024] = "pids";
	ids.list.NumberOfAssignedProcesses = 1024;
	if (QueryInformationJobObject(job, JobObjectBasicProcessIdList, &ids, sizeof ids, NULL))
		for (DWORD i = 0; i < ids.list.NumberOfProcessIdsInList; i++)
			snprintf(text + strlen(text), sizeof text - strlen(text), " %lu", (unsigned long)ids.list.ProcessIdList[i]);
	strcat(text, "\n");
	answer(text);
}

static void removeTmp(void) {
	wchar_t pattern[MAX_PATH + 4], file[2 * MAX_PATH];
	WIN32_FIND_DATAW found;
	if (!tmp[0]) return;
	swprintf(pattern, MAX_PATH + 4, L"%ls\\*", tmp);
	HANDLE search = FindFirstFileW(pattern, &found);
	for (BOOL more = search != INVALID_HANDLE_VALUE; more; more = FindNextFileW(search, &found)) {
		swprintf(file, 2 * MAX_PATH, L"%ls\\%ls", tmp, found.cFileName);
		if (!(found.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)) DeleteFileW(file); /* One level: it holds one file. */
	}
	if (search != INVALID_HANDLE_VALUE) FindClose(search);
	RemoveDirectoryW(tmp);
}

static DWORD live(void) {
	JOBOBJECT_BASIC_ACCOUNTING_INFORMATION info = {0};
	QueryInformationJobObject(job, JobObjectBasicAccountingInformation, &info, sizeof info, NULL);
	return info.ActiveProcesses;
}

static void command_(char *line, HANDLE thread, DWORD group) {
	char text[32];
	if (!strcmp(line, "go")) ResumeThread(thread);
	else if (!strcmp(line, "break")) GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, group);
	else if (!strcmp(line, "kill")) TerminateJobObject(job, 1);
	else if (!strcmp(line, "pids")) listPids();
	else if (!strncmp(line, "tmp ", 4)) MultiByteToWideChar(CP_UTF8, 0, line + 4, -1, tmp, MAX_PATH);
	else if (!strcmp(line, "count")) {
		snprintf(text, sizeof text, "count %lu\n", live());
		answer(text);
	}
}

static int fail(const char *what) {
	char text[64];
	snprintf(text, sizeof text, "error %s %lu\n", what, GetLastError());
	answer(text);
	fputs(text, stderr);
	return 127;
}

int wmain(int argc, wchar_t **argv) {
	JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits = {0};
	SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
	STARTUPINFOW startup = {sizeof startup};
	PROCESS_INFORMATION child;
	wchar_t comspec[MAX_PATH];
	char buffer[8192];
	size_t used = 0;
	DWORD got;
	clientMode = argc == 3 && !wcscmp(argv[1], L"--client");
	if (argc != 2 && !clientMode) { fputs("usage: mcp-launch-job [--client] \"<command>\"\n", stderr); return 2; }
	wchar_t *command = argv[argc - 1];
	InitializeCriticalSection(&lock);
	/* Our pipes, taken before AttachConsole, which may point unset standard handles at the console. */
	HANDLE input = clientMode ? (HANDLE)_get_osfhandle(4) : GetStdHandle(STD_INPUT_HANDLE);
	HANDLE output = GetStdHandle(STD_OUTPUT_HANDLE), error = GetStdHandle(STD_ERROR_HANDLE);
	answers = (HANDLE)_get_osfhandle(3);
	DWORD flags = CREATE_SUSPENDED | CREATE_UNICODE_ENVIRONMENT;
	if (clientMode) {
		SetConsoleCtrlHandler(NULL, FALSE); /* The client takes Ctrl-C as it would in the terminal... */
	} else {
		flags |= CREATE_NEW_PROCESS_GROUP;
		if (!AttachConsole(ATTACH_PARENT_PROCESS) && GetLastError() != ERROR_ACCESS_DENIED) flags |= CREATE_NO_WINDOW; /* No console to share: open none. */
	}
	SetConsoleCtrlHandler(ignore, TRUE); /* ...this process never ends of it. */
	SetHandleInformation(input, HANDLE_FLAG_INHERIT, 0); /* The tree gets none of our control pipes. */
	if (answers != INVALID_HANDLE_VALUE) SetHandleInformation(answers, HANDLE_FLAG_INHERIT, 0);

	job = CreateJobObjectW(NULL, NULL);
	limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
	if (!job || !SetInformationJobObject(job, JobObjectExtendedLimitInformation, &limits, sizeof limits)) return fail("job");
	wchar_t *line, *program = NULL;
	if (clientMode) {
		line = command; /* Quoted by mcp-launch for the program's own parser (argv-quote.ts). */
	} else {
		if (!GetEnvironmentVariableW(L"ComSpec", comspec, MAX_PATH)) wcscpy(comspec, L"C:\\Windows\\System32\\cmd.exe");
		size_t size = wcslen(comspec) + wcslen(command) + 32;
		line = malloc(size * sizeof *line);
		/* /s: cmd strips the outer quotes and keeps the rest as it is; /v:off: no !VAR! expansion. */
		swprintf(line, size, L"\"%ls\" /d /v:off /s /c \"%ls\"", comspec, command);
		program = comspec;
	}
	startup.dwFlags = STARTF_USESTDHANDLES;
	startup.hStdInput = clientMode ? GetStdHandle(STD_INPUT_HANDLE) : CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &inherit, OPEN_EXISTING, 0, NULL);
	startup.hStdOutput = output;
	startup.hStdError = error;
	if (!CreateProcessW(program, line, NULL, NULL, TRUE, flags, NULL, NULL, &startup, &child)) return fail("spawn");
	if (!AssignProcessToJobObject(job, child.hProcess)) { TerminateProcess(child.hProcess, 1); return fail("assign"); }
	snprintf(buffer, sizeof buffer, "pid %lu\n", child.dwProcessId);
	answer(buffer);
	CloseHandle(CreateThread(NULL, 0, watch, child.hProcess, 0, NULL));

	while (ReadFile(input, buffer + used, (DWORD)(sizeof buffer - 1 - used), &got, NULL) && got > 0) {
		used += got;
		buffer[used] = 0;
		char *start = buffer, *end;
		while ((end = strchr(start, '\n'))) {
			*end = 0;
			if (end > start && end[-1] == '\r') end[-1] = 0;
			command_(start, child.hThread, child.dwProcessId);
			start = end + 1;
		}
		used = strlen(start);
		memmove(buffer, start, used + 1);
		if (used == sizeof buffer - 1) used = 0; /* A line longer than the buffer is dropped. */
	}
	TerminateJobObject(job, 1); /* mcp-launch is gone, or done with us: nothing of the tree may stay. */
	for (int waited = 0; live() > 0 && waited < 2000; waited += 10) Sleep(10); /* Files close with their process. */
	removeTmp();
	DWORD code = 1;
	GetExitCodeProcess(child.hProcess, &code);
	return (int)code;
}
