// The fastest engine a researcher might pick instead (issue 18): DuckDB,
// both cores, doing only the read and the proportional key of
// pandas_ref.py. usage: node duckdb_ref.cjs readings.csv [repetitions]
// (@duckdb/node-api is installed by scripts/bench_ref.sh into a cache
// folder, never into the tree; NODE_PATH points there.)
const { DuckDBInstance } = require("@duckdb/node-api");
const path = process.argv[2];
const reps = Number(process.argv[3] || 3);
const sql = `
WITH r AS (SELECT * FROM read_csv('${path}', header = true,
             columns = {'timestamp': 'VARCHAR', 'meter': 'VARCHAR', 'kwh': 'DOUBLE'})),
     t AS (SELECT timestamp,
                  sum(kwh) FILTER (WHERE meter = 'pv') AS s,
                  sum(kwh) FILTER (WHERE meter <> 'pv') AS d
           FROM r GROUP BY timestamp),
     a AS (SELECT r.meter, r.kwh * CASE WHEN t.d > 0 THEN least(1.0, t.s / t.d) ELSE 0 END AS shared
           FROM r JOIN t USING (timestamp) WHERE r.meter <> 'pv')
SELECT meter, sum(shared) AS shared FROM a GROUP BY meter`;
(async () => {
for (let k = 0; k < reps; k++) {
  const t0 = process.hrtime.bigint();
  const db = await DuckDBInstance.create(":memory:", { threads: "2" });
  const con = await db.connect();
  const res = await con.runAndReadAll(sql);
  let total = 0;
  for (const row of res.getRows()) total += Number(row[1]);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`duckdb ${s.toFixed(3)} s shared_kwh ${total.toFixed(3)}`);
}
})();
