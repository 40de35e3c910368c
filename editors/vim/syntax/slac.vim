" Vim syntax file
" Language: slac (SLA-as-code for social media service level agreements)
" Files:    *.sla
"
" The language is defined by grammar/slac.pest in the slac repository;
" editors/test.sh checks that every keyword there appears in this file.

if exists('b:current_syntax')
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syntax case match
" pest's id_char: keywords only match whole words (`reviewer` is a name).
" The dot is a keyword character too, so that in a qualified name such as
" `holidays.de_2026` the alias is not taken for the `holidays` keyword.
syntax iskeyword @,48-57,_,.,192-255

" Comments --------------------------------------------------------------------
syntax keyword slacTodo contained TODO FIXME XXX NOTE
syntax match slacComment "//.*$" contains=slacTodo,@Spell
" Defined after slacComment, so it wins where both start (`///`, `////`).
syntax match slacDocComment "///.*$" contains=slacTodo,@Spell

" Strings ---------------------------------------------------------------------
syntax match slacEscapeError "\\." contained
syntax match slacEscape '\\\%(["\\ntr]\|u{\x\{1,6}}\)' contained
syntax region slacString start=/"/ skip=/\\\\\|\\"/ end=/"/ end=/$/ oneline
      \ contains=slacEscape,slacEscapeError,@Spell

" Literals --------------------------------------------------------------------
" Where several matches start at one column the last defined wins, so the
" longer literal kinds come after plain numbers.
syntax match slacNumber "\<\d\+\%(\.\d\+\)\=\>"
syntax match slacPercent "\<\d\+\%(\.\d\+\)\=%"
syntax match slacDuration "\<\%(\d\+bd\|\%(\d\+[smhdw]\)\+\)\>"
syntax match slacTime "\<\d\d:\d\d"
syntax match slacDate "\<\d\{4}-\d\d-\d\d\>"
syntax match slacQuantile "\<p\d\+\%(\.\d\+\)\=\>"
syntax match slacCurrency "\<\u\{3}\>"

syntax keyword slacWeekday mon tue wed thu fri sat sun
syntax keyword slacPeriod daily weekly monthly quarterly yearly
syntax keyword slacUnit day week month quarter year

" Operators and punctuation ---------------------------------------------------
syntax match slacComparator ">=\|<=\|!=\|[<>=]"
syntax match slacRange "-"
syntax match slacDelimiter "[,.]"
syntax match slacBrace "[{}\[\]]"

" Qualified names: `holidays.de_2026`, `cal.extended_care`, `crisis.major`.
syntax match slacQualified "\<\h\w*\.\h\w*\>" contains=slacModule,slacDelimiter
syntax match slacModule "\<\h\w*\ze\." contained

" Keywords --------------------------------------------------------------------
syntax keyword slacImport import
syntax keyword slacImport as skipwhite nextgroup=slacModuleName

" Items and blocks that declare a name.
syntax keyword slacItem agreement calendar holidays enum skipwhite skipempty nextgroup=slacTypeName
syntax keyword slacItem metric skipwhite nextgroup=slacMetricName
syntax keyword slacBlock goal approval escalation step tier responsibility
      \ skipwhite skipempty nextgroup=slacFunctionName
syntax keyword slacBlock role skipwhite nextgroup=slacConstantName
syntax keyword slacBlock guidelines communication
syntax keyword slacParty client provider vendor audience platform skipwhite nextgroup=slacConstantName
syntax keyword slacModifier ordered

" Clause keywords. `channel`, `via`, `then`, `subject` and `silence` are
" followed by a name that may itself look like a keyword (`via email`).
syntax keyword slacClause accountable acknowledge approve breach cap clock closed
      \ consulted credit denominator duty effective email escalate events exclude fee for
      \ informed kind labels languages measure meeting notify numerator objective on open
      \ owner pause period platforms publishing replies report reported resolve responsible review
      \ series slack statement style tagged target timezone tone unit waiting warn webhook
      \ when while
syntax keyword slacClause channel subject then silence skipwhite nextgroup=slacName
syntax keyword slacOperatorWord at by in mean of per to with within
syntax keyword slacOperatorWord via skipwhite nextgroup=slacName

" `where` conditions: the dimension before `in` or a comparison is a name even
" when it is spelled like a keyword (`where channel in [dm]`).
syntax region slacWhere matchgroup=slacClause start="\<where\>" end="$" keepend
      \ contains=slacDimension,slacComparator,slacOperatorWord,slacDelimiter,slacBrace,slacComment
syntax match slacDimension "\<\h\w*\ze\s\+in\>" contained
syntax match slacDimension "\<\h\w*\ze\s*\%(>=\|<=\|!=\|[<>=]\)" contained

" Names in declaration positions --------------------------------------------
syntax match slacTypeName "\<\h\w*\>" contained
syntax match slacMetricName "\<\h\w*\ze\s*\"" contained
syntax match slacFunctionName "\<\h\w*\>" contained
" parties, audiences and platforms are followed by a title, roles by `of`.
syntax match slacConstantName "\<\h\w*\>\ze\s*\%(\"\|of\>\)" contained
syntax match slacModuleName "\<\h\w*\>" contained
syntax match slacName "\<\h\w*\>" contained

" Highlight links -------------------------------------------------------------
highlight default link slacTodo Todo
highlight default link slacComment Comment
highlight default link slacDocComment SpecialComment
highlight default link slacString String
highlight default link slacEscape SpecialChar
highlight default link slacEscapeError Error
highlight default link slacNumber Number
highlight default link slacPercent Number
highlight default link slacDuration Number
highlight default link slacTime Constant
highlight default link slacDate Constant
highlight default link slacQuantile Special
highlight default link slacCurrency Type
highlight default link slacWeekday Constant
highlight default link slacPeriod Constant
highlight default link slacUnit Constant
highlight default link slacComparator Operator
highlight default link slacRange Operator
highlight default link slacDelimiter Delimiter
highlight default link slacBrace Delimiter
highlight default link slacModule Include
highlight default link slacImport Include
highlight default link slacItem Structure
highlight default link slacBlock Structure
highlight default link slacParty StorageClass
highlight default link slacModifier StorageClass
highlight default link slacClause Keyword
highlight default link slacOperatorWord Operator
highlight default link slacDimension Identifier
highlight default link slacTypeName Typedef
highlight default link slacMetricName Typedef
highlight default link slacFunctionName Function
highlight default link slacConstantName Identifier
highlight default link slacModuleName Include
highlight default link slacName Normal

let b:current_syntax = 'slac'

let &cpo = s:cpo_save
unlet s:cpo_save
