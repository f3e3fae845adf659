// Optional: highlight the drop zone and start the check as soon as a file is dropped or chosen.
// The form works without this script (choose a file, press the button).
(function () {
  var form = document.getElementById("unit-form");
  if (!form) return;
  var zone = form.querySelector(".dropzone"), input = document.getElementById("file");
  ["dragenter", "dragover"].forEach(function (e) {
    zone.addEventListener(e, function (ev) { ev.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (e) {
    zone.addEventListener(e, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (ev) {
    ev.preventDefault();
    if (ev.dataTransfer.files.length) { input.files = ev.dataTransfer.files; form.submit(); }
  });
  input.addEventListener("change", function () { if (input.files.length) form.submit(); });
})();
