-- wrk script: POST /v4/linode/instances with bodies that vary region and tags, so that the
-- later list benchmark filters over a mix. Reports through report.lua's done().
local regions = {"us-east", "us-central", "eu-west", "ap-south"}
local n = 0
request = function()
   n = n + 1
   local body = string.format(
      '{"type":"g6-nanode-1","region":"%s","image":"linode/debian12",' ..
      '"root_pass":"q8w2k5m1z9x4c7v3","booted":true,"tags":["bench-%d"]}',
      regions[n % #regions + 1], n % 10)
   return wrk.format("POST", "/v4/linode/instances", nil, body)
end

-- The same one-line report as bench/report.lua, from that file.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "report.lua")
