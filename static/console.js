// The console's few behaviours that HTML alone lacks. The Content-Security-
// Policy forbids inline scripts and event handlers, so pages declare what
// they want with data- attributes and this file, loaded on every page, acts
// on them. Listeners are delegated from document, so content that htmx
// swaps in later works without setup.
//
//   <form data-confirm="Remove x?">   asks before submitting (plain or htmx)
//   <button data-dismiss-flash>       closes the flash message around it
//   <button data-copy="ELEMENT-ID">   copies that input's value (or text)
//   <ul data-focus-next="SELECTOR" data-focus-fallback="ELEMENT-ID">
//                                     keeps focus after htmx swaps a row
//
// A failed htmx request (4xx or 5xx that htmx does not swap) shows a flash
// message instead of failing silently.
(function () {
  "use strict";

  function closestAttr(el, name) {
    return el instanceof Element ? el.closest("[" + name + "]") : null;
  }

  // Plain form submissions. htmx has already cancelled the submission of a
  // form it handles (and asked through htmx:confirm below).
  document.addEventListener("submit", function (event) {
    var form = closestAttr(event.target, "data-confirm");
    if (form && !event.defaultPrevented && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  // htmx requests ask htmx:confirm first; answer it for data-confirm.
  document.addEventListener("htmx:confirm", function (event) {
    var form = closestAttr(event.target, "data-confirm");
    if (!form) {
      return;
    }
    event.preventDefault();
    if (window.confirm(form.getAttribute("data-confirm"))) {
      event.detail.issueRequest(true);
    }
  });

  document.addEventListener("click", function (event) {
    var dismiss = closestAttr(event.target, "data-dismiss-flash");
    if (dismiss) {
      var flash = dismiss.closest(".flash");
      if (flash) {
        flash.remove();
      }
      return;
    }
    var copy = closestAttr(event.target, "data-copy");
    if (copy) {
      var source = document.getElementById(copy.getAttribute("data-copy"));
      if (!source) {
        return;
      }
      var text = "value" in source ? source.value : source.textContent;
      if (navigator.clipboard) {
        navigator.clipboard.writeText(text).then(function () {
          copy.textContent = "Copied";
        }, function () {
          source.select && source.select();
        });
      } else if (source.select) {
        source.select();
      }
    }
  });

  function showFlash(kind, message) {
    var region = document.getElementById("flashes");
    if (!region) {
      return;
    }
    var flash = document.createElement("div");
    flash.className = "flash flash-" + kind;
    flash.setAttribute("role", "status");
    flash.setAttribute("data-testid", "flash");
    flash.setAttribute("data-kind", kind);
    var p = document.createElement("p");
    p.setAttribute("data-testid", "flash-message");
    p.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "flash-close";
    close.setAttribute("data-dismiss-flash", "");
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "\u00d7";
    flash.appendChild(p);
    flash.appendChild(close);
    region.appendChild(flash);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    var message = "Something went wrong on our side. Please try again.";
    if (status === 403) {
      message = "This page has expired or you may not do that. Reload the page and try again.";
    } else if (status === 404) {
      message = "That no longer exists. Reload the page to see what changed.";
    } else if (status === 409) {
      message = "That could not be done in the current state. Reload the page to see what changed.";
    } else if (status === 429) {
      message = "Too many requests. Wait a moment and try again.";
    }
    showFlash("error", message);
  });

  // A row swapped in place (a held reward once decided) takes with it the
  // button that was pressed, and focus would fall back to <body>: move it
  // to the field the new row says is invalid, else to the next control the
  // list names (the previous one after the last row), else to the
  // fallback element (the list's heading).
  document.addEventListener("htmx:afterSettle", function (event) {
    var row = event.target;
    var list = closestAttr(row, "data-focus-next");
    var active = document.activeElement;
    if (!list || (active && active !== document.body && document.contains(active))) {
      return;
    }
    var invalid = row.querySelector('[aria-invalid="true"]');
    if (invalid) {
      invalid.focus();
      return;
    }
    var controls = list.querySelectorAll(list.getAttribute("data-focus-next"));
    var target = null;
    for (var i = 0; i < controls.length; i++) {
      target = controls[i];
      if (row.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING) {
        break;
      }
    }
    target = target || document.getElementById(list.getAttribute("data-focus-fallback"));
    if (target) {
      target.focus();
    }
  });

  document.addEventListener("htmx:sendError", function () {
    showFlash("error", "The server could not be reached. Check your connection and try again.");
  });
})();
