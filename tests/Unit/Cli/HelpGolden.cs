namespace OciRuntime.Tests.Unit.Cli;

/// <summary>
/// Help output of runc 1.1.5 (`runc --help`, `runc VERB --help`), captured verbatim with the
/// program name "runc" replaced by "runcs" (and the default root /run/runc by /run/runcs).
/// </summary>
internal static class HelpGolden
{
    public const string Version = "1.1.5+ds1\ncommit: 1.1.5+ds1-1+deb12u1\nspec: 1.0.2-dev\ngo: go1.19.8\nlibseccomp: 2.5.4";

    public static readonly string Main =
        "NAME:\n" +
        "   runcs - Open Container Initiative runtime\n" +
        "\n" +
        "runcs is a command line client for running applications packaged according to\n" +
        "the Open Container Initiative (OCI) format and is a compliant implementation of the\n" +
        "Open Container Initiative specification.\n" +
        "\n" +
        "runcs integrates well with existing process supervisors to provide a production\n" +
        "container runtime environment for applications. It can be used with your\n" +
        "existing process monitoring tools and the container will be spawned as a\n" +
        "direct child of the process supervisor.\n" +
        "\n" +
        "Containers are configured using bundles. A bundle for a container is a directory\n" +
        "that includes a specification file named \"config.json\" and a root filesystem.\n" +
        "The root filesystem contains the contents of the container.\n" +
        "\n" +
        "To start a new instance of a container:\n" +
        "\n" +
        "    # runcs run [ -b bundle ] <container-id>\n" +
        "\n" +
        "Where \"<container-id>\" is your name for the instance of the container that you\n" +
        "are starting. The name you provide for the container instance must be unique on\n" +
        "your host. Providing the bundle directory using \"-b\" is optional. The default\n" +
        "value for \"bundle\" is the current directory.\n" +
        "\n" +
        "USAGE:\n" +
        "   runcs [global options] command [command options] [arguments...]\n" +
        "\n" +
        "VERSION:\n" +
        "   1.1.5+ds1\n" +
        "commit: 1.1.5+ds1-1+deb12u1\n" +
        "spec: 1.0.2-dev\n" +
        "go: go1.19.8\n" +
        "libseccomp: 2.5.4\n" +
        "\n" +
        "COMMANDS:\n" +
        "   checkpoint  checkpoint a running container\n" +
        "   create      create a container\n" +
        "   delete      delete any resources held by the container often used with detached container\n" +
        "   events      display container events such as OOM notifications, cpu, memory, and IO usage statistics\n" +
        "   exec        execute new process inside the container\n" +
        "   kill        kill sends the specified signal (default: SIGTERM) to the container's init process\n" +
        "   list        lists containers started by runcs with the given root\n" +
        "   pause       pause suspends all processes inside the container\n" +
        "   ps          ps displays the processes running inside a container\n" +
        "   restore     restore a container from a previous checkpoint\n" +
        "   resume      resumes all processes that have been previously paused\n" +
        "   run         create and run a container\n" +
        "   spec        create a new specification file\n" +
        "   start       executes the user defined process in a created container\n" +
        "   state       output the state of a container\n" +
        "   update      update container resource constraints\n" +
        "   features    show the enabled features\n" +
        "   help, h     Shows a list of commands or help for one command\n" +
        "\n" +
        "GLOBAL OPTIONS:\n" +
        "   --debug             enable debug logging\n" +
        "   --log value         set the log file to write runcs logs to (default is '/dev/stderr')\n" +
        "   --log-format value  set the log format ('text' (default), or 'json') (default: \"text\")\n" +
        "   --root value        root directory for storage of container state (this should be located in tmpfs) (default: \"/run/runcs\")\n" +
        "   --criu value        path to the criu binary used for checkpoint and restore (default: \"criu\")\n" +
        "   --systemd-cgroup    enable systemd cgroup support, expects cgroupsPath to be of form \"slice:prefix:name\" for e.g. \"system.slice:runc:434234\"\n" +
        "   --rootless value    ignore cgroup permission errors ('true', 'false', or 'auto') (default: \"auto\")\n" +
        "   --help, -h          show help\n" +
        "   --version, -v       print the version\n";

    public static readonly string Create =
        "NAME:\n" +
        "   runcs create - create a container\n" +
        "\n" +
        "USAGE:\n" +
        "   runcs create [command options] <container-id>\n" +
        "\n" +
        "Where \"<container-id>\" is your name for the instance of the container that you\n" +
        "are starting. The name you provide for the container instance must be unique on\n" +
        "your host.\n" +
        "\n" +
        "DESCRIPTION:\n" +
        "   The create command creates an instance of a container for a bundle. The bundle\n" +
        "is a directory with a specification file named \"config.json\" and a root\n" +
        "filesystem.\n" +
        "\n" +
        "The specification file includes an args parameter. The args parameter is used\n" +
        "to specify command(s) that get run when the container is started. To change the\n" +
        "command(s) that get executed on start, edit the args parameter of the spec. See\n" +
        "\"runcs spec --help\" for more explanation.\n" +
        "\n" +
        "OPTIONS:\n" +
        "   --bundle value, -b value  path to the root of the bundle directory, defaults to the current directory\n" +
        "   --console-socket value    path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal\n" +
        "   --pid-file value          specify the file to write the process id to\n" +
        "   --no-pivot                do not use pivot root to jail process inside rootfs.  This should be used whenever the rootfs is on top of a ramdisk\n" +
        "   --no-new-keyring          do not create a new session keyring for the container.  This will cause the container to inherit the calling processes session key\n" +
        "   --preserve-fds value      Pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total) (default: 0)\n" +
        "   \n";

    public static readonly string Exec =
        "NAME:\n" +
        "   runcs exec - execute new process inside the container\n" +
        "\n" +
        "USAGE:\n" +
        "   runcs exec [command options] <container-id> <command> [command options]  || -p process.json <container-id>\n" +
        "\n" +
        "Where \"<container-id>\" is the name for the instance of the container and\n" +
        "\"<command>\" is the command to be executed in the container.\n" +
        "\"<command>\" can't be empty unless a \"-p\" flag provided.\n" +
        "\n" +
        "EXAMPLE:\n" +
        "For example, if the container is configured to run the linux ps command the\n" +
        "following will output a list of processes running in the container:\n" +
        "\n" +
        "       # runcs exec <container-id> ps\n" +
        "\n" +
        "OPTIONS:\n" +
        "   --console-socket value             path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal\n" +
        "   --cwd value                        current working directory in the container\n" +
        "   --env value, -e value              set environment variables\n" +
        "   --tty, -t                          allocate a pseudo-TTY\n" +
        "   --user value, -u value             UID (format: <uid>[:<gid>])\n" +
        "   --additional-gids value, -g value  additional gids\n" +
        "   --process value, -p value          path to the process.json\n" +
        "   --detach, -d                       detach from the container's process\n" +
        "   --pid-file value                   specify the file to write the process id to\n" +
        "   --process-label value              set the asm process label for the process commonly used with selinux\n" +
        "   --apparmor value                   set the apparmor profile for the process\n" +
        "   --no-new-privs                     set the no new privileges value for the process\n" +
        "   --cap value, -c value              add a capability to the bounding set for the process\n" +
        "   --preserve-fds value               Pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total) (default: 0)\n" +
        "   --cgroup value                     run the process in an (existing) sub-cgroup(s). Format is [<controller>:]<cgroup>.\n" +
        "   --ignore-paused                    allow exec in a paused container\n" +
        "   \n";

    public static readonly string Kill =
        "NAME:\n" +
        "   runcs kill - kill sends the specified signal (default: SIGTERM) to the container's init process\n" +
        "\n" +
        "USAGE:\n" +
        "   runcs kill [command options] <container-id> [signal]\n" +
        "\n" +
        "Where \"<container-id>\" is the name for the instance of the container and\n" +
        "\"[signal]\" is the signal to be sent to the init process.\n" +
        "\n" +
        "EXAMPLE:\n" +
        "For example, if the container id is \"ubuntu01\" the following will send a \"KILL\"\n" +
        "signal to the init process of the \"ubuntu01\" container:\n" +
        "\n" +
        "       # runcs kill ubuntu01 KILL\n" +
        "\n" +
        "OPTIONS:\n" +
        "   --all, -a  send the specified signal to all processes inside the container\n" +
        "   \n";

    public static readonly string List =
        "NAME:\n" +
        "   runcs list - lists containers started by runcs with the given root\n" +
        "\n" +
        "USAGE:\n" +
        "   runcs list [command options] \n" +
        "\n" +
        "Where the given root is specified via the global option \"--root\"\n" +
        "(default: \"/run/runcs\").\n" +
        "\n" +
        "EXAMPLE 1:\n" +
        "To list containers created via the default \"--root\":\n" +
        "       # runcs list\n" +
        "\n" +
        "EXAMPLE 2:\n" +
        "To list containers created using a non-default value for \"--root\":\n" +
        "       # runcs --root value list\n" +
        "\n" +
        "OPTIONS:\n" +
        "   --format value, -f value  select one of: table or json (default: \"table\")\n" +
        "   --quiet, -q               display only container IDs\n" +
        "   \n";

    public static readonly string Pause =
        "NAME:\n" +
        "   runcs pause - pause suspends all processes inside the container\n" +
        "\n" +
        "USAGE:\n" +
        "   runcs pause <container-id>\n" +
        "\n" +
        "Where \"<container-id>\" is the name for the instance of the container to be\n" +
        "paused. \n" +
        "\n" +
        "DESCRIPTION:\n" +
        "   The pause command suspends all processes in the instance of the container.\n" +
        "\n" +
        "Use runcs list to identify instances of containers and their current status.\n";

    public static readonly string Ps =
        "NAME:\n" +
        "   runcs ps - ps displays the processes running inside a container\n" +
        "\n" +
        "USAGE:\n" +
        "   runcs ps [command options] <container-id> [ps options]\n" +
        "\n" +
        "OPTIONS:\n" +
        "   --format value, -f value  select one of: table or json (default: \"table\")\n" +
        "   \n";

    public static readonly string Update =
        "NAME:\n" +
        "   runcs update - update container resource constraints\n" +
        "\n" +
        "USAGE:\n" +
        "   runcs update [command options] <container-id>\n" +
        "\n" +
        "OPTIONS:\n" +
        "   --resources value, -r value  path to the file containing the resources to update or '-' to read from the standard input\n" +
        "\n" +
        "The accepted format is as follow (unchanged values can be omitted):\n" +
        "\n" +
        "{\n" +
        "  \"memory\": {\n" +
        "    \"limit\": 0,\n" +
        "    \"reservation\": 0,\n" +
        "    \"swap\": 0\n" +
        "  },\n" +
        "  \"cpu\": {\n" +
        "    \"shares\": 0,\n" +
        "    \"quota\": 0,\n" +
        "    \"period\": 0,\n" +
        "    \"realtimeRuntime\": 0,\n" +
        "    \"realtimePeriod\": 0,\n" +
        "    \"cpus\": \"\",\n" +
        "    \"mems\": \"\"\n" +
        "  },\n" +
        "  \"blockIO\": {\n" +
        "    \"weight\": 0\n" +
        "  }\n" +
        "}\n" +
        "\n" +
        "Note: if data is to be read from a file or the standard input, all\n" +
        "other options are ignored.\n" +
        "   --blkio-weight value        Specifies per cgroup weight, range is from 10 to 1000 (default: 0)\n" +
        "   --cpu-period value          CPU CFS period to be used for hardcapping (in usecs). 0 to use system default\n" +
        "   --cpu-quota value           CPU CFS hardcap limit (in usecs). Allowed cpu time in a given period\n" +
        "   --cpu-share value           CPU shares (relative weight vs. other containers)\n" +
        "   --cpu-rt-period value       CPU realtime period to be used for hardcapping (in usecs). 0 to use system default\n" +
        "   --cpu-rt-runtime value      CPU realtime hardcap limit (in usecs). Allowed cpu time in a given period\n" +
        "   --cpuset-cpus value         CPU(s) to use\n" +
        "   --cpuset-mems value         Memory node(s) to use\n" +
        "   --memory value              Memory limit (in bytes)\n" +
        "   --memory-reservation value  Memory reservation or soft_limit (in bytes)\n" +
        "   --memory-swap value         Total memory usage (memory + swap); set '-1' to enable unlimited swap\n" +
        "   --pids-limit value          Maximum number of pids allowed in the container (default: 0)\n" +
        "   --l3-cache-schema value     The string of Intel RDT/CAT L3 cache schema\n" +
        "   --mem-bw-schema value       The string of Intel RDT/MBA memory bandwidth schema\n" +
        "   \n";

    public static readonly string Features =
        "NAME:\n" +
        "   runcs features - show the enabled features\n" +
        "\n" +
        "USAGE:\n" +
        "   runcs features [arguments...]\n" +
        "\n" +
        "DESCRIPTION:\n" +
        "   Show the enabled features.\n" +
        "   The result is parsable as a JSON.\n" +
        "   See https://pkg.go.dev/github.com/opencontainers/runc/types/features for the type definition.\n" +
        "   The types are experimental and subject to change.\n" +
        "\n";

    public static readonly string Delete =
        "NAME:\n" +
        "   runcs delete - delete any resources held by the container often used with detached container\n" +
        "\n" +
        "USAGE:\n" +
        "   runcs delete [command options] <container-id>\n" +
        "\n" +
        "Where \"<container-id>\" is the name for the instance of the container.\n" +
        "\n" +
        "EXAMPLE:\n" +
        "For example, if the container id is \"ubuntu01\" and runcs list currently shows the\n" +
        "status of \"ubuntu01\" as \"stopped\" the following will delete resources held for\n" +
        "\"ubuntu01\" removing \"ubuntu01\" from the runcs list of containers:\n" +
        "\n" +
        "       # runcs delete ubuntu01\n" +
        "\n" +
        "OPTIONS:\n" +
        "   --force, -f  Forcibly deletes the container if it is still running (uses SIGKILL)\n" +
        "   \n";

    public static readonly string Events =
        "NAME:\n" +
        "   runcs events - display container events such as OOM notifications, cpu, memory, and IO usage statistics\n" +
        "\n" +
        "USAGE:\n" +
        "   runcs events [command options] <container-id>\n" +
        "\n" +
        "Where \"<container-id>\" is the name for the instance of the container.\n" +
        "\n" +
        "DESCRIPTION:\n" +
        "   The events command displays information about the container. By default the\n" +
        "information is displayed once every 5 seconds.\n" +
        "\n" +
        "OPTIONS:\n" +
        "   --interval value  set the stats collection interval (default: 5s)\n" +
        "   --stats           display the container's stats then exit\n" +
        "   \n";
}
