// The AWS SDK warns on every run that releases after January 2027 need Node 22; Lambdas already run
// Node 22 (infra/), and the local CLI and the bench keep working on Node 20, so that one notice is
// noise there. Every other warning is still printed.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (!String(warning.message).includes('NodeVersionSupportWarning')) console.warn(warning);
});
