// Keyboard shortcuts for the voting and comparison cards, and focus after htmx swaps.
// A card marks itself with data-shortcuts; each of its buttons names its key in
// data-shortcut. Keys typed into a field, or with a modifier, are left alone.
(function () {
  "use strict";

  function isTyping(target) {
    if (!(target instanceof Element)) {
      return false;
    }
    return target.isContentEditable || target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.repeat || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    if (isTyping(event.target)) {
      return;
    }
    var key = (event.key || "").toLowerCase();
    var buttons = document.querySelectorAll("[data-shortcuts] button[data-shortcut]");
    for (var i = 0; i < buttons.length; i += 1) {
      var button = buttons[i];
      if (button.getAttribute("data-shortcut") === key && !button.disabled) {
        event.preventDefault();
        button.click();
        return;
      }
    }
  });

  // A refused answer (400, 403) comes back as a card explaining why: show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var target = event.detail.target;
    if ((status === 400 || status === 403) && target && target.closest("[data-shortcuts], .vote-buttons")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // The new card takes the focus, so screen readers read the next statement; the button
  // that had it was swapped away with the old card.
  function focusCard(always) {
    var focus = document.querySelector("[data-shortcuts] [data-focus-after-swap]");
    var active = document.activeElement;
    if (focus && (always || active === null || active === document.body || !active.isConnected)) {
      focus.focus();
    }
  }

  // htmx restores the focus to the new heading (same id) at once, but wires the new card's
  // form only when the swap settles, a moment later: a key pressed in between would submit
  // the form without htmx and reload the page. Wire the card as soon as it is swapped in.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target instanceof Element && event.target.matches("[data-shortcuts]")) {
      window.htmx.process(event.target);
      focusCard(true);
    }
  });

  // htmx:load fires on the new card itself: the person just answered the old one, so the new
  // statement takes the focus whatever had it. afterSettle catches swaps elsewhere that took
  // the focused element away.
  document.addEventListener("htmx:load", function (event) {
    if (event.target instanceof Element && event.target.matches("[data-shortcuts]")) {
      focusCard(true);
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    focusCard(false);
  });
})();
