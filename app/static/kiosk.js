// The kiosk's keypad: large keys that type into the code field (which works without them too,
// with the tablet's own keyboard).
(function () {
  "use strict";
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
