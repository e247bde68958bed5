-- wrk script: POST /api/v1/match with candidate_ref (a linked candidate's stored profile) and
-- the 100 offers of $JOBZEN_MATCH_REF_BODY (a JSON body file written by run.sh), key in $JOBZEN_KEY.
wrk.method = "POST"
wrk.path = "/api/v1/match"
wrk.headers["X-JobZen-Key"] = os.getenv("JOBZEN_KEY")
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open(os.getenv("JOBZEN_MATCH_REF_BODY"), "rb"))
wrk.body = f:read("*a")
f:close()
