// Accessible names for ipywidgets sliders in the static book.
// ipywidgets renders each slider handle with role="slider" but without a name, and its
// aria-valuetext is the option index. This gives every handle the text of its visible
// label as its name and the visible readout ("15%") as its value text, and keeps the
// value text current as the slider moves. It does not switch frames: jslink does that.
(function () {
  function label(slider) {
    var handle = slider.querySelector('[role="slider"]');
    var name = slider.querySelector(".widget-label");
    var readout = slider.querySelector(".widget-readout");
    if (!handle || !name) return;
    handle.setAttribute("aria-label", name.textContent.trim());
    if (readout) handle.setAttribute("aria-valuetext", readout.textContent.trim());
  }
  function labelAll() {
    document.querySelectorAll(".widget-slider").forEach(label);
  }
  var pending = false;
  new MutationObserver(function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; labelAll(); });
  }).observe(document.documentElement, { childList: true, subtree: true, characterData: true });
  document.addEventListener("DOMContentLoaded", labelAll);
})();
