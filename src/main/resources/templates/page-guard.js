// Runs first: records every script error of the page on <body data-chart-errors>, so a headless browser's
// dump of the DOM tells a test (and a reader of the source) whether the charts' script failed.
(function () {
  var errors = [];
  function record(message) {
    errors.push(String(message));
    document.body.setAttribute('data-chart-errors', errors.join(' | '));
  }
  window.addEventListener('error', function (e) {
    record((e.message || 'error') + (e.lineno ? ' (line ' + e.lineno + ')' : ''));
  });
  // A script the page's policy blocked (its hash does not match) raises no error event, only this.
  document.addEventListener('securitypolicyviolation', function (e) {
    record('blocked by the Content-Security-Policy: ' + e.violatedDirective);
  });
  window.addEventListener('unhandledrejection', function (e) {
    record('unhandled rejection: ' + (e.reason && e.reason.message ? e.reason.message : e.reason));
  });
})();
