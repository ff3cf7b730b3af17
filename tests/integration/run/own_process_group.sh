# shellcheck shell=sh
#
# The command runs in a process group of its own (issue 13, item 10): a
# program that signals its whole group, as apache2 prefork does when it
# stops (kill(0, SIGTERM)), ends its own tree only, not the shell that ran
# bindwatch (a shell without job control shares its group with bindwatch).
# On a terminal the command's group gets the terminal: Ctrl-C ends the run
# with 130, Ctrl-Z and fg work under an interactive bash (terminal.py).

# shellcheck disable=SC2016 # the inner shell's $?
sh -c '"$BW" -q -- python3 -c "import os, signal; os.kill(0, signal.SIGTERM)" \
    2>/dev/null; echo "bw=$?"; echo "shell=survived"' > group.out
echo "outer=$?"
sed -n 's/^bw=/group_bw=/p; s/^shell=/group_shell=/p' group.out
# A child of the command that signals the group: the command's status.
# shellcheck disable=SC2016
sh -c '"$BW" -q -- sh -c "kill -TERM 0; exit 3" 2>/dev/null
    echo "child_bw=$?"' > child.out
cat child.out
python3 "$BW_IT/run/terminal.py" "$BW"
