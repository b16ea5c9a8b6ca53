// Shows how many characters a field holds as the person types. Without this script the field's
// maxlength and its help text still say the limit.
(function () {
  "use strict";
  function attach(field) {
    var limit = field.getAttribute("maxlength");
    var template = field.getAttribute("data-character-count");
    if (!limit || !template) { return; }
    var counter = document.createElement("div");
    counter.className = "form-text";
    counter.id = field.id + "_count";
    counter.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
    function update() {
      counter.textContent = template
        .replace("%(count)s", String(field.value.length))
        .replace("%(limit)s", limit);
    }
    field.addEventListener("input", update);
    update();
  }
  function start() {
    document.querySelectorAll("textarea[data-character-count], input[data-character-count]")
      .forEach(attach);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
