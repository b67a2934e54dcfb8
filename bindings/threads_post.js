// Linked into the -pthread build only (bindings/CMakeLists.txt). Under Node the pool's workers
// are worker_threads, which would keep the process alive while they idle: unref them once
// started, so a script ends when its own work ends. rnnlabEndThreads() stops them for good
// (Rnnlab#dispose).
Module['rnnlabUnrefWorkers'] = function () {
  var all = PThread.unusedWorkers.concat(PThread.runningWorkers);
  for (var i = 0; i < all.length; ++i) if (all[i] && all[i].unref) all[i].unref();
};
Module['rnnlabEndThreads'] = function () {
  PThread.terminateAllThreads();
};
// Browsers: the pool's workers import the glue by the URL this very module was loaded from
// (a bundler renames and moves it), not by its published name beside the worker script.
if (!ENVIRONMENT_IS_NODE && !Module['mainScriptUrlOrBlob'] && typeof _scriptDir === 'string') {
  Module['mainScriptUrlOrBlob'] = _scriptDir;
}
