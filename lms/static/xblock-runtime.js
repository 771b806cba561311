/* Kuza's XBlock JavaScript runtime: initialises blocks marked data-init and builds handler URLs. */
(function () {
  "use strict";
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');

  function Runtime(element) {
    this.element = element;
  }

  Runtime.prototype.handlerUrl = function (element, handlerName, suffix, query) {
    var prefix = element.closest("[data-handler-prefix]").getAttribute("data-handler-prefix");
    var url = prefix + "/" + encodeURIComponent(handlerName);
    if (suffix) { url += "/" + String(suffix).replace(/^\/+/, ""); }
    return query ? url + "?" + query : url;
  };

  /* The token every POST needs; send it as the X-CSRFToken header. */
  Runtime.prototype.csrfToken = function () {
    return tokenMeta ? tokenMeta.content : "";
  };

  /* POST JSON to a handler and resolve with the decoded JSON answer. */
  Runtime.prototype.postJSON = function (url, data) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": this.csrfToken()},
      body: JSON.stringify(data)
    }).then(function (response) {
      if (!response.ok) { throw new Error("handler answered " + response.status); }
      return response.json();
    });
  };

  Runtime.prototype.children = function (element) {
    return Array.prototype.slice.call(element.querySelectorAll(":scope .xblock")).filter(function (child) {
      return child.parentElement.closest(".xblock") === element;
    });
  };

  function initialise(element) {
    var init = window[element.getAttribute("data-init")];
    if (typeof init !== "function") { return; }
    var argsNode = element.querySelector(":scope > script.xblock-json-init-args");
    var args = argsNode ? JSON.parse(argsNode.textContent) : {};
    init(new Runtime(element), element, args);
  }

  Array.prototype.forEach.call(document.querySelectorAll(".xblock[data-init]"), initialise);
}());
