// Loaded into every Fork child before its script: the IPC channel closes when the parent exits
// or crashes, and then this child must not outlive it.
process.on('disconnect', () => process.exit(0));
