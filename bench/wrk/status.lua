-- wrk script: GET /api/v1/status with the key in $JOBZEN_KEY (keep-alive, no engine work).
wrk.method = "GET"
wrk.path = "/api/v1/status"
wrk.headers["X-JobZen-Key"] = os.getenv("JOBZEN_KEY")
