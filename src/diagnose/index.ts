// The diagnosis layer: one detector per cause (pure rules over gathered evidence) and the
// gatherers that read the evidence (DNS, probes; processes and sockets through the OS seam, src/os/).
export type {Diagnosis, DiagnosisCause} from './types.js';
export {causeLabels, formatDiagnosis} from './format.js';
export {type Listener, describeOwner, describePortOwners, formatHostPort, addressCovers} from './port-owner-text.js';
export {
	type AddressResult, type AddressVerdict, type Resolver, type ResolvedAddress, checkAddresses, classifyAddresses,
	systemResolver, workingUrl, hostOf, portOf,
} from './addresses.js';
export {type Announced, type Announcement, parseAnnounced, readAnnouncement} from './announced.js';
export {announcedPortMismatch} from './announced-port.js';
export {type AnswerVerdict, type AnswerInput, classifyAnswer} from './answer.js';
export {type SchemeMismatch, detectSchemeMismatch, otherScheme} from './scheme.js';
export {type CrashCause, type CrashKind, type CrashExit, explainCrash, portInUse} from './crash.js';
export {type PortInUse, checkPortFree, classifyPreflight} from './preflight.js';
export {type TimeoutEvidence, type GatherOptions, type ServerLike, diagnoseTimeout, gatherTimeoutEvidence} from './timeout.js';
export {diagnose, rules, type Finding} from './rules.js';
export type {Evidence} from './evidence.js';
