" slac (SLA-as-code) service level agreements
autocmd BufRead,BufNewFile *.sla setfiletype slac
