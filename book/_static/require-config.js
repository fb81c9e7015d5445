// RequireJS configuration for the self-hosted widget bundle (loaded before require.js).
// The bundle locates its own files (icon fonts) from its module path; pointing the
// @jupyter-widgets modules at _static/widgets/ keeps every request on this site, on any
// page depth. This is configuration only: frames are switched by ipywidgets' jslink.
var require = {
  baseUrl: new URL("widgets/", document.currentScript.src).href,
  paths: { "@jupyter-widgets/html-manager/dist": ".", "@jupyter-widgets": "." },
};
