// Before printing (the browser's Print, or make pdf): open every folded block, give each
// explorer a note with the address of its page in the online book (the page's canonical
// URL, from html_baseurl in _config.yml), and mark external links whose text is already
// their address, so that print.css does not print it twice.
(function () {
  function pageAddress() {
    var link = document.querySelector('link[rel="canonical"]');
    return link ? link.href : window.location.href;
  }
  function explorers() {
    var found = [];
    document.querySelectorAll(".widget-slider").forEach(function (slider) {
      var box = slider.closest(".widget-vbox");
      if (box && found.indexOf(box) < 0) found.push(box);
    });
    return found;
  }
  function addNote(box) {
    if (box.querySelector(".course-print-note")) return;
    var note = document.createElement("p");
    var link = document.createElement("a");
    note.className = "course-print-note";
    link.href = link.textContent = pageAddress();
    note.appendChild(document.createTextNode(
      "This explorer is interactive in the online book: move its sliders at "));
    note.appendChild(link);
    note.appendChild(document.createTextNode("."));
    box.appendChild(note);
  }
  function prepare() {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
    explorers().forEach(addNote);
    document.querySelectorAll('a[href^="http"]').forEach(function (a) {
      if (a.textContent.trim() === a.getAttribute("href")) a.classList.add("course-print-url-shown");
    });
  }
  window.coursePrepareForPrint = prepare;
  window.addEventListener("beforeprint", prepare);
})();
