/* Puente's header, loaded in <head>: marks that scripts run, then, once the page is read,
   opens and closes the menu button's menu and closes an open header menu on Escape or on a
   click elsewhere. Without it the menu stays open and the <details> menus still work. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function closeMenus(except) {
    document.querySelectorAll("details.header-menu[open]").forEach(function (menu) {
      if (menu !== except) { menu.open = false; }
    });
  }

  // A table box that scrolls sideways becomes a named region that takes the focus, so that
  // keyboard users can scroll it too (axe: scrollable-region-focusable).
  function markScrollingTables(root) {
    root.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
          box.setAttribute("aria-label", caption ? caption.textContent.trim() : document.title);
        }
      }
    });
  }

  // A long list of checkboxes (core/widgets/choice_filter.html) gets a box that narrows it:
  // letters typed match a label anywhere, accents and case aside.
  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function enableChoiceFilters(root) {
    root.querySelectorAll("[data-choice-filter]").forEach(function (list) {
      var search = list.querySelector("[data-choice-filter-search]");
      if (!search || !search.hidden) { return; }
      var input = search.querySelector("input");
      search.hidden = false;
      // The box only narrows the list: its typing must not submit the filters form.
      input.addEventListener("change", function (event) { event.stopPropagation(); });
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); }
      });
      input.addEventListener("input", function () {
        var wanted = plain(input.value.trim());
        list.querySelectorAll(".form-check").forEach(function (choice) {
          choice.hidden = wanted !== "" && plain(choice.textContent).indexOf(wanted) === -1;
        });
        list.querySelectorAll("fieldset").forEach(function (group) {
          group.hidden = group.querySelector(".form-check:not([hidden])") === null;
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    markScrollingTables(document);
    enableChoiceFilters(document);
    var resizing;
    window.addEventListener("resize", function () {
      clearTimeout(resizing);
      resizing = setTimeout(function () { markScrollingTables(document); }, 200);
    });
    document.body.addEventListener("htmx:afterSwap", function (event) {
      markScrollingTables(event.target);
      enableChoiceFilters(event.target);
    });
    document.querySelectorAll("[data-puente-toggle]").forEach(function (button) {
      var target = document.getElementById(button.getAttribute("aria-controls"));
      if (!target) { return; }
      button.addEventListener("click", function () {
        var open = button.getAttribute("aria-expanded") !== "true";
        button.setAttribute("aria-expanded", open ? "true" : "false");
        target.classList.toggle("show", open);
      });
    });
    document.querySelectorAll("details.header-menu").forEach(function (menu) {
      menu.addEventListener("toggle", function () { if (menu.open) { closeMenus(menu); } });
    });
    document.addEventListener("click", function (event) {
      var inside = event.target.closest && event.target.closest("details.header-menu");
      closeMenus(inside);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      var open = document.querySelector("details.header-menu[open]");
      if (open) {
        open.open = false;
        open.querySelector("summary").focus();
      }
    });
  });
})();
