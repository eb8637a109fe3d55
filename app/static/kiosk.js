// The kiosk: large keys that type into the code field (which works without them too, with the
// tablet's own keyboard), and the way back to the keypad in Polish once a visitor walks away.
(function () {
  "use strict";
  var returnAfter = Number(document.body.dataset.returnAfter || 0);
  if (returnAfter) {
    var timer;
    var wait = function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        window.location.assign(document.body.dataset.returnTo);
      }, returnAfter * 1000);
    };
    ["pointerdown", "keydown", "input"].forEach(function (name) {
      document.addEventListener(name, wait, true);
    });
    wait();
  }
  var keypad = document.querySelector(".keypad");
  var field = document.querySelector(".kiosk-code");
  if (!keypad || !field) {
    return;
  }
  keypad.hidden = false;
  keypad.addEventListener("click", function (event) {
    var key = event.target.closest("[data-key]");
    if (!key) {
      return;
    }
    var digits = field.value.replace(/\D/g, "");
    if (key.dataset.key === "clear") {
      digits = "";
    } else if (key.dataset.key === "back") {
      digits = digits.slice(0, -1);
    } else if (digits.length < 6) {
      digits += key.dataset.key;
    }
    field.value = digits;
  });
})();
