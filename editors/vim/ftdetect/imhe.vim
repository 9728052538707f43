" imhe policies: *.imhe files are filetype imhe.
autocmd BufNewFile,BufRead *.imhe setfiletype imhe
