" Vim filetype plugin
" Language: slac (SLA-as-code for social media service level agreements)
" Files:    *.sla

if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1

let s:cpo_save = &cpo
set cpo&vim

" `//` comments; `///` doc comments are continued on a new line.
setlocal commentstring=//\ %s
setlocal comments=:///,://
setlocal formatoptions-=t formatoptions+=croql

" Imports name other files: `import "calendars.sla" as cal`.
setlocal suffixesadd=.sla
let &l:include = '^\s*import\s\+"'

setlocal expandtab shiftwidth=2 softtabstop=2
setlocal matchpairs+=[:]

let b:undo_ftplugin = 'setlocal commentstring< comments< formatoptions< suffixesadd<'
      \ . ' include< expandtab< shiftwidth< softtabstop< matchpairs<'

let &cpo = s:cpo_save
unlet s:cpo_save
