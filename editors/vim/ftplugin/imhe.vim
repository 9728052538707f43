" Vim filetype plugin for imhe policies (*.imhe): comments, indentation, :make, fmt on save.
" Set g:imhe_fmt_on_save = 1 (before the file is opened) to run `imhe fmt -w` on every write.
if exists('b:did_ftplugin')
  finish
endif
let b:did_ftplugin = 1
let s:cpo_save = &cpo
set cpo&vim

setlocal comments=:# commentstring=#\ %s
setlocal iskeyword=@,48-57,_,192-255,-
setlocal expandtab shiftwidth=2 softtabstop=2
setlocal formatoptions-=t formatoptions+=croql

" :make checks the policy (and its bases); errors land in the quickfix list.
setlocal makeprg=imhe\ compile\ %:S\ -o\ /dev/null
setlocal errorformat=%E%f:%l:%c:\ error:\ %m,%W%f:%l:%c:\ warning:\ %m,%C%.%#=\ hint:\ %m,
      \%-C%.%#,%-G%.%#

let b:undo_ftplugin = 'setlocal comments< commentstring< iskeyword< expandtab< shiftwidth<'
      \ . ' softtabstop< formatoptions< makeprg< errorformat<'
      \ . ' | silent! delcommand -buffer ImheFmt | silent! autocmd! imhe_fmt * <buffer>'

" Rewrites the file in canonical layout (imhe fmt -w) and reloads it; a file with syntax errors is
" left as it was and the errors are shown.
if !exists('*s:ImheFmt')
  function s:ImheFmt() abort
    let l:out = system('imhe fmt -w ' . shellescape(expand('%:p')))
    if v:shell_error
      echohl WarningMsg
      for l:line in split(l:out, "\n")
        echomsg l:line
      endfor
      echohl None
      return
    endif
    let l:view = winsaveview()
    silent edit
    call winrestview(l:view)
  endfunction
endif
command! -buffer ImheFmt update | call <SID>ImheFmt()

if get(g:, 'imhe_fmt_on_save', 0)
  augroup imhe_fmt
    autocmd! * <buffer>
    " nested: the reload runs the buffer's autocommands again (syntax, this plugin)
    autocmd BufWritePost <buffer> nested call <SID>ImheFmt()
  augroup END
endif

let &cpo = s:cpo_save
unlet s:cpo_save
