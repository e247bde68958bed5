-- wrk script: POST /api/v1/match with cv_text and two offers (the guide's first example),
-- key in $JOBZEN_KEY.
wrk.method = "POST"
wrk.path = "/api/v1/match"
wrk.headers["X-JobZen-Key"] = os.getenv("JOBZEN_KEY")
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"cv_text": "Alice Martin, 5 ans Python, FastAPI, PostgreSQL, Docker. Backend engineer chez Acme depuis 2019.",
"job_listings": [
{"job_id": "job_001", "title": "Backend Engineer", "description": "Python, FastAPI, PostgreSQL requis. Docker apprecie."},
{"job_id": "job_002", "title": "Data Engineer", "description": "Python, Spark, Airflow, 3 ans d'experience."}],
"options": {"explain": true}}]]
