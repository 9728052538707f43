" check.vim — loads editors/vim on tests/editors/sample.imhe and checks what each word is
" highlighted as. Run: vim -Nu NONE -i NONE -es -S tests/editors/check.vim; exit 0 when all hold,
" else the failures are in $VIM_CHECK_OUT (default build/vim-check.txt).
set runtimepath^=editors/vim
filetype plugin on
syntax on
let s:fail = []
edit tests/editors/sample.imhe
if &filetype !=# 'imhe'
  call add(s:fail, 'filetype is "' . &filetype . '", not imhe')
endif
if get(b:, 'current_syntax', '') !=# 'imhe'
  call add(s:fail, 'the imhe syntax is not loaded')
endif
if &l:commentstring !=# '# %s'
  call add(s:fail, 'the ftplugin did not set commentstring')
endif

" [line, text on it, its column within the text, expected syntax group]
let s:cases = [
      \ [1, '# A policy', 0, 'imheComment'], [1, 'TODO', 0, 'imheTodo'],
      \ [2, 'policy', 0, 'imheKeyword'], [2, 'sample', 0, 'imhePolicyName'],
      \ [2, 'before', 0, 'imheKeyword'], [2, '2025-01-01', 0, 'imheDate'],
      \ [2, 'alliance-2025', 8, ''],
      \ [3, '"Sample', 0, 'imheString'], [3, '\"SA', 0, 'imheEscape'],
      \ [4, 'IMH', 0, 'imheCategory'], [4, 'ECMH', 0, 'imheCategory'],
      \ [5, 'accepts', 0, 'imheKeyword'], [5, 'of', 0, 'imheOperatorWord'],
      \ [6, 'Senior', 0, 'imheGroupDef'], [6, 'MentorC', 0, 'imheGroup'],
      \ [6, 'IMHM-P', 4, 'imheCategory'], [6, '=', 0, 'imheOperator'],
      \ [7, 'registration', 0, 'imheFeeKind'], [7, '$20', 0, 'imheMoney'],
      \ [7, 'all', 0, 'imheOperatorWord'],
      \ [8, '$85.50', 3, 'imheMoney'], [8, 'Specialist', 0, 'imheGroup'],
      \ [9, 'credential(', 0, 'imheMeasure'], [9, 'infant_toddler_credential', 0, 'imheValue'],
      \ [10, 'Mar', 0, 'imheMonth'], [10, '15', 0, 'imheNumber'],
      \ [11, 'renewal', 0, 'imheKeyword'], [11, 'annual', 0, 'imheScheme'],
      \ [12, 'cycle', 0, 'imheScheme'], [12, '3', 0, 'imheNumber'], [12, 'years', 0, 'imheUnit'],
      \ [14, 'recent_training', 0, 'imheDefName'], [14, '= training', 2, 'imheCollection'],
      \ [14, 'where', 0, 'imheOperatorWord'], [14, 'as_of', 0, 'imheBuiltin'],
      \ [14, '- 1', 0, 'imheOperator'], [14, 'year)', 0, 'imheUnit'],
      \ [15, 'senior_rsc', 0, 'imheRuleName'],
      \ [16, 'require', 0, 'imheKeyword'], [16, 'rsc', 0, 'imheArea'],
      \ [18, 'window', 0, 'imheMeasure'], [18, 'qualified_rsc', 0, ''],
      \ [18, '24 months)', 3, 'imheUnit'], [18, '>=', 0, 'imheOperator'], [18, ' h', 1, 'imheUnit'],
      \ [19, 'degree', 0, 'imheBuiltin'], [19, 'masters"', 1, 'imheString'],
      \ [19, 'masters and', 0, 'imheValue'], [19, 'membership', 0, 'imheBuiltin'],
      \ [20, 'end', 0, 'imheOperatorWord'],
      \ [21, 'override', 0, 'imheKeyword'], [21, 'competencies "', 0, 'imheArea'],
      \ [22, 'competencies(', 0, 'imheMeasure'], [22, 'TF', 0, 'imheDomain'],
      \ [22, 'half', 0, 'imheMeasure'],
      \ ]
for [s:line, s:text, s:off, s:want] in s:cases
  let s:col = stridx(getline(s:line), s:text)
  if s:col < 0
    call add(s:fail, printf('line %d has no "%s"', s:line, s:text))
    continue
  endif
  let s:got = synIDattr(synID(s:line, s:col + 1 + s:off, 1), 'name')
  if s:got !=# s:want
    call add(s:fail, printf('line %d, "%s" (+%d): %s, expected %s', s:line, s:text, s:off,
          \ s:got ==# '' ? 'nothing' : s:got, s:want ==# '' ? 'nothing' : s:want))
  endif
endfor
if v:errmsg !=# ''
  call add(s:fail, 'error: ' . v:errmsg)
endif
if empty($VIM_CHECK_OUT)
  call mkdir('build', 'p')
endif
call writefile(s:fail, empty($VIM_CHECK_OUT) ? 'build/vim-check.txt' : $VIM_CHECK_OUT)
if empty(s:fail)
  qall!
endif
cquit!
