// Starts Swagger UI on /docs (a file, not an inline script: the CSP allows only these).
window.addEventListener("DOMContentLoaded", function () {
  var token = document.querySelector("meta[name=csrf-token]").content;
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null, // no badge fetched from the Internet
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // "Try it out" on POST routes: the session's CSRF token, as the pages send it.
    requestInterceptor: function (request) {
      request.headers["X-CSRF-Token"] = token;
      return request;
    },
  });
});
