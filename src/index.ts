export {launch, type LaunchResult} from './launch.js';
export type {LaunchOptions} from './options.js';
export {waitUntilReady, type WaitOptions, type ReadyInfo} from './readiness/wait-until-ready.js';
export {probe, ProbeError, type ProbeAnswer, type ProbeOptions} from './readiness/probe.js';
export {LaunchError, type LaunchErrorCode} from './errors.js';
export {parseDuration} from './duration.js';
export type {Logger} from './log-types.js';
export type {ClientExit} from './client/run-client.js';
export type {ServerExit} from './server/spawn-server.js';
