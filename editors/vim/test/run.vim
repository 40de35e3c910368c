" Syntax assertions for editors/vim, run by editors/test.sh:
"
"   vim -Nu NONE -i NONE -Es -c 'source editors/vim/test/run.vim' -- FILE...
"
" A FILE with assertion comments is a syntax test, as in the tree-sitter
" highlight tests: `// ^^^ slacNumber` checks the columns of the carets,
" `// <- slacItem` the column where the comment starts, both on the nearest
" line above that is not an assertion. A FILE without any (such as the
" examples, which `slac fmt` lays out) is an indent test: re-indenting it with
" indent/slac.vim must not change it. The result goes to the file
" named by g:slac_test_result (set it with --cmd) or to /dev/stdout, as
" `vim syntax: N passed, M failed` after one line per failure.

set nocompatible
let s:root = fnamemodify(expand('<sfile>:p'), ':h:h')
execute 'set runtimepath^=' . fnameescape(s:root)
filetype plugin indent on
syntax on

let s:passed = 0
let s:failed = 0
let s:messages = []

function! s:Check(file, lnum, col, expected, alnum) abort
  let got = synIDattr(synID(a:lnum, a:col, 1), 'name')
  if got ==# a:expected
    let s:passed += 1
  else
    let s:failed += 1
    call add(s:messages, printf('%s:%d: column %d of line %d: expected %s, got %s',
          \ a:file, a:alnum, a:col, a:lnum, a:expected, empty(got) ? '(none)' : got))
  endif
endfunction

for s:file in argv()
  execute 'edit ' . fnameescape(s:file)
  if &filetype !=# 'slac'
    let s:failed += 1
    call add(s:messages, s:file . ': filetype is "' . &filetype . '", not "slac"')
    continue
  endif
  let s:code = 0
  let s:asserted = 0
  for s:lnum in range(1, line('$'))
    let s:line = getline(s:lnum)
    let s:arrow = matchlist(s:line, '^\(\s*\)//\s*<-\s\+\(\w\+\)\s*$')
    let s:carets = matchlist(s:line, '^\s*//\(\s*\)\(\^\+\)\s\+\(\w\+\)\s*$')
    if !empty(s:arrow) && s:code > 0
      let s:asserted = 1
      call s:Check(s:file, s:code, len(s:arrow[1]) + 1, s:arrow[2], s:lnum)
    elseif !empty(s:carets) && s:code > 0
      let s:asserted = 1
      let s:start = stridx(s:line, '^')
      for s:c in range(s:start, s:start + len(s:carets[2]) - 1)
        call s:Check(s:file, s:code, s:c + 1, s:carets[3], s:lnum)
      endfor
    else
      let s:code = s:lnum
    endif
  endfor
  if !s:asserted
    let s:before = getline(1, '$')
    silent normal! gg=G
    let s:after = getline(1, '$')
    if s:before ==# s:after
      let s:passed += 1
    else
      let s:failed += 1
      for s:i in range(len(s:before))
        if s:before[s:i] !=# s:after[s:i]
          call add(s:messages, printf('%s:%d: re-indented to "%s"', s:file, s:i + 1, s:after[s:i]))
          break
        endif
      endfor
    endif
    silent edit!
  endif
endfor

let s:out = get(g:, 'slac_test_result', '/dev/stdout')
call writefile(s:messages + [printf('vim syntax: %d passed, %d failed', s:passed, s:failed)],
      \ s:out, s:out ==# '/dev/stdout' ? 'a' : '')
execute (s:failed == 0 ? 'qall!' : 'cquit!')
