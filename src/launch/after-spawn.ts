/**
 * What the launcher needs once its servers are spawned: loaded then (a dynamic import started
 * right after the spawn), so it loads while the servers boot instead of before they start.
 */
export {runClientPhase} from './client-phase.js';
export {gateAll} from './gate-all.js';
export {stopServer} from './teardown.js';
export {prepareClient} from './client-phase.js';
