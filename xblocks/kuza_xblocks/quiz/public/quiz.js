/* Kuza quiz: posts the quiz form in the background and shows the result in place; without this script the form posts and the page reloads. */
window.KuzaQuizInit = function (runtime, element) {
  "use strict";
  if (element && element.jquery) { element = element[0]; }  // Open edX may pass a jQuery object
  if (!window.fetch || !window.FormData || !element) { return; }
  // One live region that outlives each re-render: a region inserted with its text is not announced.
  var live = document.createElement("p");
  live.className = "kuza-quiz-live";
  live.setAttribute("aria-live", "polite");
  element.appendChild(live);

  function csrfToken() {
    // Kuza's runtime knows its token; Open edX's Django reads the csrftoken cookie.
    var token = runtime && typeof runtime.csrfToken === "function" ? runtime.csrfToken() : "";
    var cookie = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return token || (cookie ? decodeURIComponent(cookie[1]) : "");
  }

  element.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("kuza-quiz-form")) { return; }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) {
      if (button.disabled) { return; }  // already sending
      button.disabled = true;
    }
    form.setAttribute("aria-busy", "true");
    var token = "", responses = {};
    new FormData(form).forEach(function (value, name) {
      if (name === "submission") { token = value; } else if (name.indexOf("q-") === 0) {
        (responses[name] = responses[name] || []).push(value);
      }
    });
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken()},
      body: JSON.stringify({submission: token, responses: responses})
    }).then(function (response) {
      if ((response.headers.get("Content-Type") || "").indexOf("application/json") < 0) {
        throw new Error("not JSON: " + response.status);
      }
      return response.json();
    }).then(function (data) {
      var quiz = element.querySelector(".kuza-quiz");
      if (!data.html || !quiz) {
        live.textContent = data.error || "";
        form.removeAttribute("aria-busy");
        if (button) { button.disabled = false; }
        return;
      }
      // Keep the fields the host added to the form (Kuza's CSRF token and return_to), which
      // the re-rendered HTML lacks, so the plain post below still works after a re-render.
      var kept = Array.prototype.filter.call(form.querySelectorAll("input[type=hidden]"), function (input) {
        return input.name !== "submission";
      });
      quiz.outerHTML = data.html;
      var next = element.querySelector(".kuza-quiz-form");
      kept.forEach(function (input) {
        if (next && !next.querySelector('input[name="' + input.name + '"]')) { next.insertBefore(input, next.firstChild); }
      });
      var result = element.querySelector(".kuza-quiz-result");
      var heading = result && result.querySelector("h3");
      live.textContent = result ? result.textContent.replace(/\s+/g, " ").trim() : "";
      if (heading) { heading.focus(); }
    }).catch(function () {
      // The server did not answer in JSON (a proxy, a lost connection): post the form as if
      // there were no script. Its submission token makes a resent attempt count once.
      form.submit();
    });
  });
};
