import type {ServerExit} from '../server/spawn-server.js';
import type {AddressResult, AddressVerdict} from './addresses.js';
import type {Announced} from './announced.js';
import type {AnswerVerdict} from './answer.js';
import type {Listener} from './port-owner-text.js';
import type {ErrorLike, SchemeMismatch} from './scheme.js';

/**
 * Everything known about an endpoint that did not work, gathered (with side effects: probes,
 * /proc or lsof, DNS) by the timeout report and by doctor, and read by the one ordered list of
 * pure rules in rules.ts. Unit specs inject it.
 */
export type Evidence = {
	url: URL;
	/** One fresh probe per resolved address of the URL's host, in OS order; no results: it does not resolve. */
	addresses?: {results: AddressResult[]; verdict: AddressVerdict};
	/** The server mcp-launch started, when there is one. */
	server?: {pid?: number; alive: boolean; exit?: ServerExit};
	/** LISTEN sockets of that server's process tree; undefined when there is no such server or the platform cannot tell. */
	treeListeners?: Listener[];
	/** Everything listening on the URL's port, whoever owns it; undefined when the platform cannot tell. */
	portListeners?: Listener[];
	announced: Announced;
	/** What the server printed last. */
	output: {stderr: readonly string[]; stdout: readonly string[]};
	/** The gate's last probe error (a timeout report). */
	lastError?: ErrorLike;
	/** What the first answer means, when an address answered HTTP (doctor). */
	answer?: AnswerVerdict;
	/** A scheme mismatch found by trying the other scheme (doctor). */
	scheme?: SchemeMismatch;
	/** The other scheme was tried: `scheme` is the whole answer, the probe errors alone decide nothing. */
	schemeTried?: boolean;
	/** mcp-launch chose the port (`-p`: PORT and `{port}`), so a server elsewhere ignored it. */
	portGiven?: boolean;
	/** How long the gate waited (a timeout report). */
	elapsedMs?: number;
	/** The server command (placeholders filled), for naming the flag that sets its port. */
	command?: string;
	/** After a 404: what the server tree's other ports answered at the same path (other-ports.ts). */
	otherPorts?: OtherPortAnswer[];
};

/** What one of the server tree's other ports answered at the URL's path. */
export type OtherPortAnswer = {port: number; status: number; /** A normal MCP answer to a bare probe. */ ok: boolean};
