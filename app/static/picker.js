// The time picker without page loads: a place, a month or a day chosen inside #picker is
// fetched and only the picker is replaced; the address follows (back and forward work), and
// the focus goes to what changed, so a screen reader hears it. Without this script, or when
// anything fails, the same links load the whole page.
(function () {
  "use strict";

  function focusTarget(picker, url) {
    if (url.searchParams.has("day")) {
      return picker.querySelector("#picker-times-title");
    }
    return picker.querySelector("#picker-month") || picker.querySelector("h3");
  }

  async function show(url, push) {
    const response = await fetch(url, { headers: { Accept: "text/html" } });
    if (response.redirected || !response.ok) {
      throw new Error(response.status);  // loaded as a page, it says why (and where to go)
    }
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.getElementById("picker");
    const current = document.getElementById("picker");
    if (!fresh || !current) {
      throw new Error("no picker");
    }
    current.replaceWith(fresh);
    const languages = page.querySelector(".languages");  // its links keep the page's address
    if (languages) {
      document.querySelector(".languages").replaceWith(languages);
    }
    if (push) {
      history.pushState({ picker: true }, "", url);
    }
    const target = focusTarget(fresh, url);
    if (target) {
      target.setAttribute("tabindex", "-1");
      target.focus();
    }
  }

  document.addEventListener("click", function (event) {
    const link = event.target.closest("#picker a[href]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    const url = new URL(link.href, location.href);
    const sameScreen = url.origin === location.origin && url.pathname === location.pathname;
    if (!sameScreen || url.searchParams.has("slot")) {
      return; // a time opens the next step: a page of its own
    }
    event.preventDefault();
    show(url, true).catch(function () {
      location.assign(url);
    });
  });

  // Back and forward between the picker's own steps; a jump to an anchor (the skip link) is
  // none of them.
  history.replaceState({ picker: true }, "");
  window.addEventListener("popstate", function (event) {
    if (!(event.state && event.state.picker)) {
      return;
    }
    show(new URL(location.href), false).catch(function () {
      location.reload();
    });
  });
})();
