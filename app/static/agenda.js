// The agenda of today follows what happens (a check-in at the kiosk, a colleague's mark or
// call): it asks every few seconds whether anything changed, and reloads itself if so, unless
// the clerk is typing. Without JavaScript the clerk reloads it.
(function () {
  "use strict";
  var live = document.getElementById("agenda-live");
  if (!live) {
    return;
  }
  var typing = function () {
    var element = document.activeElement;
    return element && /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName);
  };
  setInterval(function () {
    if (document.hidden || typing()) {
      return;
    }
    fetch(live.dataset.stampUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.redirected || !response.ok) {
          window.location.reload(); // the session ended, or the page is gone: show why
          return null;
        }
        return response.json();
      })
      .then(function (body) {
        if (body && body.stamp !== live.dataset.stamp) {
          window.location.reload();
        }
      })
      .catch(function () {}); // offline for a moment: try again at the next turn
  }, Number(live.dataset.every || 15) * 1000);
})();
