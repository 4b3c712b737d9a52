// Follow-up questions: shown only when the question they depend on has one of the listed
// answers. Without JavaScript they stay visible with a hint, and the server ignores them
// when the condition is not met.
(function () {
  "use strict";
  var abhaengige = document.querySelectorAll("[data-abhaengig-von]");
  function werte(name) {
    var gewaehlt = [];
    document.querySelectorAll('[name="' + name + '"]').forEach(function (feld) {
      if ((feld.type === "radio" || feld.type === "checkbox") ? feld.checked : feld.value) {
        gewaehlt.push(feld.value);
      }
    });
    return gewaehlt;
  }
  function aktualisieren() {
    abhaengige.forEach(function (block) {
      var erlaubt = block.getAttribute("data-abhaengig-werte").split("|");
      var sichtbar = werte(block.getAttribute("data-abhaengig-von")).some(function (w) {
        return erlaubt.indexOf(w) !== -1;
      });
      block.hidden = !sichtbar;
    });
  }
  document.addEventListener("change", aktualisieren);
  aktualisieren();
})();
