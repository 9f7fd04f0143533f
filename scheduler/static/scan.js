// Check-in page: scan a QR code with the camera where the browser can decode it
// (BarcodeDetector); elsewhere the button stays hidden and the code is typed.
(function () {
  var button = document.getElementById("scan-button");
  var video = document.getElementById("scan-video");
  var form = document.getElementById("code-form");
  if (!button || !video || !form || !("BarcodeDetector" in window) ||
      !(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) { return; }
  var detector = new window.BarcodeDetector({formats: ["qr_code"]});
  var stream = null;
  function stop() {
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
    video.hidden = true;
  }
  function look() {
    if (!stream) { return; }
    detector.detect(video).then(function (codes) {
      if (codes.length) {
        form.querySelector("input[name=code]").value = codes[0].rawValue;
        stop();
        form.submit();
      } else {
        window.setTimeout(look, 250);
      }
    }).catch(function () { window.setTimeout(look, 500); });
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    if (stream) { stop(); return; }
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      return video.play();
    }).then(look).catch(stop);
  });
})();
