" Vim indent file
" Language: slac (SLA-as-code for social media service level agreements)
"
" One level per open brace, as `slac fmt` lays files out.

if exists('b:did_indent')
  finish
endif
let b:did_indent = 1

setlocal indentexpr=GetSlacIndent(v:lnum)
setlocal indentkeys=0{,0},0],!^F,o,O
setlocal autoindent nosmartindent nocindent

let b:undo_indent = 'setlocal indentexpr< indentkeys< autoindent< smartindent< cindent<'

if exists('*GetSlacIndent')
  finish
endif

" Braces and brackets outside strings and comments, counted as +1/-1.
function! s:BraceBalance(line) abort
  let line = substitute(a:line, '"\%(\\.\|[^"\\]\)*"', '""', 'g')
  let line = substitute(line, '//.*$', '', '')
  let opens = len(substitute(line, '[^{[]', '', 'g'))
  let closes = len(substitute(line, '[^}\]]', '', 'g'))
  return opens - closes
endfunction

function! GetSlacIndent(lnum) abort
  let prev = prevnonblank(a:lnum - 1)
  if prev == 0
    return 0
  endif
  let ind = indent(prev)
  let prevline = getline(prev)
  " A line that leaves a block open indents the next one.
  if s:BraceBalance(prevline) > 0
    let ind += shiftwidth()
  endif
  " A line that starts with a closing brace goes back one level.
  if getline(a:lnum) =~# '^\s*[}\]]'
    let ind -= shiftwidth()
  endif
  return ind < 0 ? 0 : ind
endfunction
