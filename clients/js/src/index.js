// testsync-client: agents of a parallel test run share data and meet at checkpoints through a
// TestSync server (protocol testsync.v1), from Node (18+) and from browser pages alike.

export { TestSync } from './client.js';
export { TestSyncError, CheckpointFailedError, CLIENT_CODES } from './errors.js';
export { Subscription } from './subscription.js';
export { Lock } from './lock.js';
export { SUBPROTOCOL } from './socket.js';
