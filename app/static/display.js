// The waiting room's screen: the calls of the day, asked for every few seconds; a new one is
// announced with a chime (once the sound is turned on: browsers play nothing before a touch)
// and with its text in the live region, which screen readers read out.
(function () {
  "use strict";
  var display = document.querySelector(".display");
  if (!display) {
    return;
  }
  var body = display.querySelector(".display-calls tbody");
  var latest = display.querySelector(".display-latest");
  var empty = display.querySelector(".display-empty");
  var soundButton = display.querySelector(".display-sound");
  var announcement = document.getElementById("display-announcement").innerHTML;
  var audio = null;
  var last; // the newest call shown (undefined until the first answer: nothing to announce)

  soundButton.hidden = false;
  soundButton.addEventListener("click", function () {
    audio = new (window.AudioContext || window.webkitAudioContext)();
    soundButton.hidden = true;
    chime();
  });

  function chime() {
    if (!audio) {
      return;
    }
    [660, 880].forEach(function (frequency, index) {
      var tone = audio.createOscillator();
      var volume = audio.createGain();
      var start = audio.currentTime + index * 0.35;
      tone.frequency.value = frequency;
      volume.gain.setValueAtTime(0.3, start);
      volume.gain.exponentialRampToValueAtTime(0.001, start + 0.3);
      tone.connect(volume).connect(audio.destination);
      tone.start(start);
      tone.stop(start + 0.3);
    });
  }

  function cell(text, className) {
    var td = document.createElement("td");
    td.textContent = text;
    if (className) {
      td.className = className;
    }
    return td;
  }

  function show(calls) {
    var newest = calls.length ? calls[0].at + calls[0].number : null;
    body.replaceChildren.apply(
      body,
      calls.map(function (call) {
        var row = document.createElement("tr");
        row.append(cell(String(call.number), "display-number"), cell(call.desk), cell(call.time));
        return row;
      })
    );
    empty.hidden = calls.length > 0;
    if (last !== undefined && newest !== null && newest !== last) {
      var text = announcement
        .replace("{number}", String(calls[0].number))
        .replace("{desk}", calls[0].desk);
      var line = document.createElement("p");
      line.textContent = new DOMParser().parseFromString(text, "text/html").body.textContent;
      latest.replaceChildren(line);
      chime();
    }
    last = newest;
  }

  function ask() {
    fetch(display.dataset.callsUrl, { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        if (answer) {
          show(answer.calls);
        }
      })
      .catch(function () {}); // the network is back at the next turn
  }
  ask();
  setInterval(ask, 5000);
})();
