// The grid event form: fill latitude and longitude from the phone's location when the member asks.
(function () {
  var button = document.querySelector("[data-locate]");
  if (!button || !navigator.geolocation) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (position) {
      document.getElementById("latitude").value = position.coords.latitude.toFixed(6);
      document.getElementById("longitude").value = position.coords.longitude.toFixed(6);
    });
  });
})();
