namespace OciRuntime.Tests.Unit.Spec;

/// <summary>JSON documents used by the spec tests.</summary>
internal static class Fixtures
{
    /// <summary>
    /// A config.json with every field of runtime-spec v1.3 set (tab-indented, Go field
    /// order, so re-serializing it must reproduce it byte for byte).
    /// </summary>
    public const string FullConfig = """
{
	"ociVersion": "1.3.0",
	"process": {
		"terminal": true,
		"consoleSize": {
			"height": 24,
			"width": 80
		},
		"user": {
			"uid": 1000,
			"gid": 1001,
			"umask": 18,
			"additionalGids": [
				5,
				6
			],
			"username": "someone"
		},
		"args": [
			"/bin/sh",
			"-c",
			"echo hi"
		],
		"commandLine": "cmd.exe /c echo hi",
		"env": [
			"PATH=/usr/bin:/bin",
			"TERM=xterm"
		],
		"cwd": "/work",
		"capabilities": {
			"bounding": [
				"CAP_CHOWN",
				"CAP_KILL"
			],
			"effective": [
				"CAP_CHOWN",
				"CAP_KILL"
			],
			"inheritable": [
				"CAP_SYS_ADMIN"
			],
			"permitted": [
				"CAP_CHOWN",
				"CAP_KILL"
			],
			"ambient": [
				"CAP_NET_RAW"
			]
		},
		"rlimits": [
			{
				"type": "RLIMIT_NOFILE",
				"hard": 4096,
				"soft": 1024
			},
			{
				"type": "RLIMIT_CORE",
				"hard": 18446744073709551615,
				"soft": 0
			}
		],
		"noNewPrivileges": true,
		"apparmorProfile": "runc-default",
		"oomScoreAdj": -500,
		"scheduler": {
			"policy": "SCHED_DEADLINE",
			"nice": -5,
			"priority": 10,
			"flags": [
				"SCHED_FLAG_RESET_ON_FORK"
			],
			"runtime": 10000000,
			"deadline": 20000000,
			"period": 30000000
		},
		"selinuxLabel": "system_u:system_r:container_t:s0",
		"ioPriority": {
			"class": "IOPRIO_CLASS_BE",
			"priority": 4
		},
		"execCPUAffinity": {
			"initial": "0-1",
			"final": "2-3"
		}
	},
	"root": {
		"path": "rootfs",
		"readonly": true
	},
	"hostname": "box",
	"domainname": "example.org",
	"mounts": [
		{
			"destination": "/data",
			"type": "bind",
			"source": "/srv/data",
			"options": [
				"rbind",
				"ro"
			],
			"uidMappings": [
				{
					"containerID": 0,
					"hostID": 100000,
					"size": 65536
				}
			],
			"gidMappings": [
				{
					"containerID": 0,
					"hostID": 200000,
					"size": 65536
				}
			]
		}
	],
	"hooks": {
		"prestart": [
			{
				"path": "/hooks/prestart",
				"args": [
					"/hooks/prestart",
					"--flag"
				],
				"env": [
					"A=1"
				],
				"timeout": 5
			}
		],
		"createRuntime": [
			{
				"path": "/hooks/createRuntime",
				"args": [
					"/hooks/createRuntime",
					"--flag"
				],
				"env": [
					"A=1"
				],
				"timeout": 5
			}
		],
		"createContainer": [
			{
				"path": "/hooks/createContainer",
				"args": [
					"/hooks/createContainer",
					"--flag"
				],
				"env": [
					"A=1"
				],
				"timeout": 5
			}
		],
		"startContainer": [
			{
				"path": "/hooks/startContainer",
				"args": [
					"/hooks/startContainer",
					"--flag"
				],
				"env": [
					"A=1"
				],
				"timeout": 5
			}
		],
		"poststart": [
			{
				"path": "/hooks/poststart",
				"args": [
					"/hooks/poststart",
					"--flag"
				],
				"env": [
					"A=1"
				],
				"timeout": 5
			}
		],
		"poststop": [
			{
				"path": "/hooks/poststop",
				"args": [
					"/hooks/poststop",
					"--flag"
				],
				"env": [
					"A=1"
				],
				"timeout": 5
			}
		]
	},
	"annotations": {
		"org.example.key": "value",
		"com.example/unknown": "kept",
		"": "empty key"
	},
	"linux": {
		"uidMappings": [
			{
				"containerID": 0,
				"hostID": 100000,
				"size": 65536
			}
		],
		"gidMappings": [
			{
				"containerID": 0,
				"hostID": 100000,
				"size": 65536
			},
			{
				"containerID": 65536,
				"hostID": 300000,
				"size": 10
			}
		],
		"sysctl": {
			"net.ipv4.ip_forward": "1",
			"kernel.shmmax": "4096"
		},
		"resources": {
			"devices": [
				{
					"allow": false,
					"access": "rwm"
				},
				{
					"allow": true,
					"type": "c",
					"major": 1,
					"minor": 3,
					"access": "rw"
				}
			],
			"memory": {
				"limit": 536870912,
				"reservation": 268435456,
				"swap": 1073741824,
				"kernel": -1,
				"kernelTCP": 1048576,
				"swappiness": 60,
				"disableOOMKiller": true,
				"useHierarchy": false,
				"checkBeforeUpdate": true
			},
			"cpu": {
				"shares": 1024,
				"quota": 50000,
				"burst": 10000,
				"period": 100000,
				"realtimeRuntime": 950000,
				"realtimePeriod": 1000000,
				"cpus": "0-3",
				"mems": "0",
				"idle": 1
			},
			"pids": {
				"limit": 100
			},
			"blockIO": {
				"weight": 500,
				"leafWeight": 300,
				"weightDevice": [
					{
						"major": 8,
						"minor": 0,
						"weight": 600,
						"leafWeight": 200
					}
				],
				"throttleReadBpsDevice": [
					{
						"major": 8,
						"minor": 0,
						"rate": 1048576
					}
				],
				"throttleWriteBpsDevice": [
					{
						"major": 8,
						"minor": 16,
						"rate": 2097152
					}
				],
				"throttleReadIOPSDevice": [
					{
						"major": 8,
						"minor": 32,
						"rate": 1000
					}
				],
				"throttleWriteIOPSDevice": [
					{
						"major": 8,
						"minor": 48,
						"rate": 2000
					}
				]
			},
			"hugepageLimits": [
				{
					"pageSize": "2MB",
					"limit": 209715200
				}
			],
			"network": {
				"classID": 1048577,
				"priorities": [
					{
						"name": "eth0",
						"priority": 500
					}
				]
			},
			"rdma": {
				"mlx5_1": {
					"hcaHandles": 3,
					"hcaObjects": 10000
				}
			},
			"unified": {
				"memory.high": "1073741824",
				"io.weight": "default 100"
			}
		},
		"cgroupsPath": "/myRuntime/myContainer",
		"namespaces": [
			{
				"type": "pid"
			},
			{
				"type": "network",
				"path": "/var/run/netns/neta"
			},
			{
				"type": "mount"
			},
			{
				"type": "ipc"
			},
			{
				"type": "uts"
			},
			{
				"type": "user"
			},
			{
				"type": "cgroup"
			},
			{
				"type": "time"
			}
		],
		"devices": [
			{
				"path": "/dev/fuse",
				"type": "c",
				"major": 10,
				"minor": 229,
				"fileMode": 438,
				"uid": 0,
				"gid": 0
			}
		],
		"netDevices": {
			"eth1": {
				"name": "ctr1"
			},
			"eth2": {}
		},
		"seccomp": {
			"defaultAction": "SCMP_ACT_ERRNO",
			"defaultErrnoRet": 1,
			"architectures": [
				"SCMP_ARCH_X86_64",
				"SCMP_ARCH_X86"
			],
			"flags": [
				"SECCOMP_FILTER_FLAG_LOG"
			],
			"listenerPath": "/run/seccomp-agent.sock",
			"listenerMetadata": "meta",
			"syscalls": [
				{
					"names": [
						"getcwd",
						"chmod"
					],
					"action": "SCMP_ACT_ALLOW",
					"errnoRet": 38,
					"args": [
						{
							"index": 1,
							"value": 255,
							"valueTwo": 4,
							"op": "SCMP_CMP_MASKED_EQ"
						}
					]
				}
			]
		},
		"rootfsPropagation": "rslave",
		"maskedPaths": [
			"/proc/kcore"
		],
		"readonlyPaths": [
			"/proc/sys"
		],
		"mountLabel": "system_u:object_r:container_file_t:s0",
		"intelRdt": {
			"closID": "guaranteed_group",
			"schemata": [
				"L3:0=7f0"
			],
			"l3CacheSchema": "L3:0=ffff0",
			"memBwSchema": "MB:0=20",
			"enableMonitoring": true
		},
		"memoryPolicy": {
			"mode": "MPOL_INTERLEAVE",
			"nodes": "0-3,7",
			"flags": [
				"MPOL_F_STATIC_NODES"
			]
		},
		"personality": {
			"domain": "LINUX32",
			"flags": [
				"SOMEFLAG"
			]
		},
		"timeOffsets": {
			"monotonic": {
				"secs": 172800,
				"nanosecs": 500
			},
			"boottime": {
				"secs": -3600,
				"nanosecs": 1
			}
		}
	},
	"solaris": {
		"milestone": "svc:/milestone/container:default",
		"limitpriv": "default",
		"maxShmMemory": "512m",
		"anet": [
			{
				"linkname": "net0",
				"lowerLink": "net2",
				"allowedAddress": "172.17.0.2/16",
				"configureAllowedAddress": "true",
				"defrouter": "172.17.0.1/16",
				"linkProtection": "mac-nospoof",
				"macAddress": "02:42:f8:52:c7:16"
			}
		],
		"cappedCPU": {
			"ncpus": "8"
		},
		"cappedMemory": {
			"physical": "512m",
			"swap": "512m"
		}
	},
	"windows": {
		"layerFolders": [
			"C:\\layers\\1"
		],
		"devices": [
			{
				"id": "24E552D7-6523-47F7-A647-D3465BF1F5CA",
				"idType": "class"
			}
		],
		"resources": {
			"memory": {
				"limit": 2097152
			},
			"cpu": {
				"count": 2,
				"shares": 256,
				"maximum": 5000,
				"affinity": [
					{
						"mask": 3,
						"group": 1
					}
				]
			},
			"storage": {
				"iops": 50,
				"bps": 100,
				"sandboxSize": 4096
			}
		},
		"credentialSpec": {
			"CmsPlugins": [
				"ActiveDirectory"
			],
			"DomainJoinConfig": {
				"Sid": "S-1-5",
				"MachineAccountName": "x"
			}
		},
		"servicing": true,
		"ignoreFlushesDuringBoot": true,
		"hyperv": {
			"utilityVMPath": "C:\\uvm"
		},
		"network": {
			"endpointList": [
				"7a010682-17e0-4455-a838-02e5d9655fe6"
			],
			"allowUnqualifiedDNSQuery": true,
			"DNSSearchList": [
				"a.com"
			],
			"networkSharedContainerName": "c1",
			"networkNamespace": "ns1"
		}
	},
	"vm": {
		"hypervisor": {
			"path": "/usr/bin/qemu",
			"parameters": [
				"-m",
				"1G"
			]
		},
		"kernel": {
			"path": "/vmlinuz",
			"parameters": [
				"console=ttyS0"
			],
			"initrd": "/initrd"
		},
		"image": {
			"path": "/image.qcow2",
			"format": "qcow2"
		},
		"hwconfig": {
			"deviceTree": "/dt.dtb",
			"vcpus": 2,
			"memory": 1073741824,
			"dtdevs": [
				"/soc/dev"
			],
			"iomems": [
				{
					"firstGFN": 1,
					"firstMFN": 2,
					"nrMFNs": 3
				}
			],
			"irqs": [
				7,
				9
			]
		}
	},
	"zos": {
		"namespaces": [
			{
				"type": "pid",
				"path": "/ns/pid"
			}
		]
	},
	"freebsd": {
		"devices": [
			{
				"path": "null",
				"mode": 438
			}
		],
		"jail": {
			"parent": "p",
			"host": "new",
			"ip4": "inherit",
			"ip4Addr": [
				"10.0.0.1"
			],
			"ip6": "disable",
			"ip6Addr": [
				"::1"
			],
			"vnet": "new",
			"interface": "em0",
			"vnetInterfaces": [
				"epair0b"
			],
			"sysvmsg": "new",
			"sysvsem": "new",
			"sysvshm": "new",
			"enforceStatfs": 2,
			"allow": {
				"setHostname": true,
				"rawSockets": true,
				"chflags": true,
				"mount": [
					"devfs"
				],
				"quotas": true,
				"socketAf": true,
				"mlock": true,
				"reservedPorts": true,
				"suser": true
			}
		}
	}
}
""";

    /// <summary>A features document with every field set (four-space indent, like runc features).</summary>
    public const string FullFeatures = """
{
    "ociVersionMin": "1.0.0",
    "ociVersionMax": "1.3.0",
    "hooks": [
        "prestart",
        "createRuntime"
    ],
    "mountOptions": [
        "ro",
        "rbind"
    ],
    "linux": {
        "namespaces": [
            "pid",
            "network"
        ],
        "capabilities": [
            "CAP_CHOWN"
        ],
        "cgroup": {
            "v1": true,
            "v2": true,
            "systemd": true,
            "systemdUser": false,
            "rdma": true
        },
        "seccomp": {
            "enabled": true,
            "actions": [
                "SCMP_ACT_ALLOW"
            ],
            "operators": [
                "SCMP_CMP_EQ"
            ],
            "archs": [
                "SCMP_ARCH_X86_64"
            ],
            "knownFlags": [
                "SECCOMP_FILTER_FLAG_LOG"
            ],
            "supportedFlags": [
                "SECCOMP_FILTER_FLAG_LOG"
            ]
        },
        "apparmor": {
            "enabled": true
        },
        "selinux": {
            "enabled": false
        },
        "intelRdt": {
            "enabled": true,
            "schemata": true,
            "monitoring": false
        },
        "memoryPolicy": {
            "modes": [
                "MPOL_BIND"
            ],
            "flags": [
                "MPOL_F_STATIC_NODES"
            ]
        },
        "mountExtensions": {
            "idmap": {
                "enabled": true
            }
        },
        "netDevices": {
            "enabled": true
        }
    },
    "annotations": {
        "org.opencontainers.runc.version": "1.1.5"
    },
    "potentiallyUnsafeConfigAnnotations": [
        "bundle",
        "org.systemd.property."
    ]
}
""";

    /// <summary>Verbatim output of <c>runc spec</c> (runc 1.1.5), no trailing newline.</summary>
    public const string RuncSpec = """
{
	"ociVersion": "1.0.2-dev",
	"process": {
		"terminal": true,
		"user": {
			"uid": 0,
			"gid": 0
		},
		"args": [
			"sh"
		],
		"env": [
			"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			"TERM=xterm"
		],
		"cwd": "/",
		"capabilities": {
			"bounding": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			],
			"effective": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			],
			"permitted": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			],
			"ambient": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			]
		},
		"rlimits": [
			{
				"type": "RLIMIT_NOFILE",
				"hard": 1024,
				"soft": 1024
			}
		],
		"noNewPrivileges": true
	},
	"root": {
		"path": "rootfs",
		"readonly": true
	},
	"hostname": "runc",
	"mounts": [
		{
			"destination": "/proc",
			"type": "proc",
			"source": "proc"
		},
		{
			"destination": "/dev",
			"type": "tmpfs",
			"source": "tmpfs",
			"options": [
				"nosuid",
				"strictatime",
				"mode=755",
				"size=65536k"
			]
		},
		{
			"destination": "/dev/pts",
			"type": "devpts",
			"source": "devpts",
			"options": [
				"nosuid",
				"noexec",
				"newinstance",
				"ptmxmode=0666",
				"mode=0620",
				"gid=5"
			]
		},
		{
			"destination": "/dev/shm",
			"type": "tmpfs",
			"source": "shm",
			"options": [
				"nosuid",
				"noexec",
				"nodev",
				"mode=1777",
				"size=65536k"
			]
		},
		{
			"destination": "/dev/mqueue",
			"type": "mqueue",
			"source": "mqueue",
			"options": [
				"nosuid",
				"noexec",
				"nodev"
			]
		},
		{
			"destination": "/sys",
			"type": "sysfs",
			"source": "sysfs",
			"options": [
				"nosuid",
				"noexec",
				"nodev",
				"ro"
			]
		},
		{
			"destination": "/sys/fs/cgroup",
			"type": "cgroup",
			"source": "cgroup",
			"options": [
				"nosuid",
				"noexec",
				"nodev",
				"relatime",
				"ro"
			]
		}
	],
	"linux": {
		"resources": {
			"devices": [
				{
					"allow": false,
					"access": "rwm"
				}
			]
		},
		"namespaces": [
			{
				"type": "pid"
			},
			{
				"type": "network"
			},
			{
				"type": "ipc"
			},
			{
				"type": "uts"
			},
			{
				"type": "mount"
			}
		],
		"maskedPaths": [
			"/proc/acpi",
			"/proc/asound",
			"/proc/kcore",
			"/proc/keys",
			"/proc/latency_stats",
			"/proc/timer_list",
			"/proc/timer_stats",
			"/proc/sched_debug",
			"/sys/firmware",
			"/proc/scsi"
		],
		"readonlyPaths": [
			"/proc/bus",
			"/proc/fs",
			"/proc/irq",
			"/proc/sys",
			"/proc/sysrq-trigger"
		]
	}
}
""";

    /// <summary>Verbatim output of <c>runc spec --rootless</c> run as root (runc 1.1.5).</summary>
    public const string RuncSpecRootless = """
{
	"ociVersion": "1.0.2-dev",
	"process": {
		"terminal": true,
		"user": {
			"uid": 0,
			"gid": 0
		},
		"args": [
			"sh"
		],
		"env": [
			"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			"TERM=xterm"
		],
		"cwd": "/",
		"capabilities": {
			"bounding": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			],
			"effective": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			],
			"permitted": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			],
			"ambient": [
				"CAP_AUDIT_WRITE",
				"CAP_KILL",
				"CAP_NET_BIND_SERVICE"
			]
		},
		"rlimits": [
			{
				"type": "RLIMIT_NOFILE",
				"hard": 1024,
				"soft": 1024
			}
		],
		"noNewPrivileges": true
	},
	"root": {
		"path": "rootfs",
		"readonly": true
	},
	"hostname": "runc",
	"mounts": [
		{
			"destination": "/proc",
			"type": "proc",
			"source": "proc"
		},
		{
			"destination": "/dev",
			"type": "tmpfs",
			"source": "tmpfs",
			"options": [
				"nosuid",
				"strictatime",
				"mode=755",
				"size=65536k"
			]
		},
		{
			"destination": "/dev/pts",
			"type": "devpts",
			"source": "devpts",
			"options": [
				"nosuid",
				"noexec",
				"newinstance",
				"ptmxmode=0666",
				"mode=0620"
			]
		},
		{
			"destination": "/dev/shm",
			"type": "tmpfs",
			"source": "shm",
			"options": [
				"nosuid",
				"noexec",
				"nodev",
				"mode=1777",
				"size=65536k"
			]
		},
		{
			"destination": "/dev/mqueue",
			"type": "mqueue",
			"source": "mqueue",
			"options": [
				"nosuid",
				"noexec",
				"nodev"
			]
		},
		{
			"destination": "/sys",
			"type": "none",
			"source": "/sys",
			"options": [
				"rbind",
				"nosuid",
				"noexec",
				"nodev",
				"ro"
			]
		},
		{
			"destination": "/sys/fs/cgroup",
			"type": "cgroup",
			"source": "cgroup",
			"options": [
				"nosuid",
				"noexec",
				"nodev",
				"relatime",
				"ro"
			]
		}
	],
	"linux": {
		"uidMappings": [
			{
				"containerID": 0,
				"hostID": 0,
				"size": 1
			}
		],
		"gidMappings": [
			{
				"containerID": 0,
				"hostID": 0,
				"size": 1
			}
		],
		"namespaces": [
			{
				"type": "pid"
			},
			{
				"type": "ipc"
			},
			{
				"type": "uts"
			},
			{
				"type": "mount"
			},
			{
				"type": "user"
			}
		],
		"maskedPaths": [
			"/proc/acpi",
			"/proc/asound",
			"/proc/kcore",
			"/proc/keys",
			"/proc/latency_stats",
			"/proc/timer_list",
			"/proc/timer_stats",
			"/proc/sched_debug",
			"/sys/firmware",
			"/proc/scsi"
		],
		"readonlyPaths": [
			"/proc/bus",
			"/proc/fs",
			"/proc/irq",
			"/proc/sys",
			"/proc/sysrq-trigger"
		]
	}
}
""";

    /// <summary>Verbatim output of <c>runc features</c> (runc 1.1.5), without the trailing newline.</summary>
    public const string RuncFeatures = """
{
    "ociVersionMin": "1.0.0",
    "ociVersionMax": "1.0.2-dev",
    "hooks": [
        "prestart",
        "createRuntime",
        "createContainer",
        "startContainer",
        "poststart",
        "poststop"
    ],
    "mountOptions": [
        "acl",
        "async",
        "atime",
        "bind",
        "defaults",
        "dev",
        "diratime",
        "dirsync",
        "exec",
        "iversion",
        "lazytime",
        "loud",
        "mand",
        "noacl",
        "noatime",
        "nodev",
        "nodiratime",
        "noexec",
        "noiversion",
        "nolazytime",
        "nomand",
        "norelatime",
        "nostrictatime",
        "nosuid",
        "nosymfollow",
        "private",
        "ratime",
        "rbind",
        "rdev",
        "rdiratime",
        "relatime",
        "remount",
        "rexec",
        "rnoatime",
        "rnodev",
        "rnodiratime",
        "rnoexec",
        "rnorelatime",
        "rnostrictatime",
        "rnosuid",
        "rnosymfollow",
        "ro",
        "rprivate",
        "rrelatime",
        "rro",
        "rrw",
        "rshared",
        "rslave",
        "rstrictatime",
        "rsuid",
        "rsymfollow",
        "runbindable",
        "rw",
        "shared",
        "silent",
        "slave",
        "strictatime",
        "suid",
        "symfollow",
        "sync",
        "tmpcopyup",
        "unbindable"
    ],
    "linux": {
        "namespaces": [
            "cgroup",
            "ipc",
            "mount",
            "network",
            "pid",
            "user",
            "uts"
        ],
        "capabilities": [
            "CAP_CHOWN",
            "CAP_DAC_OVERRIDE",
            "CAP_DAC_READ_SEARCH",
            "CAP_FOWNER",
            "CAP_FSETID",
            "CAP_KILL",
            "CAP_SETGID",
            "CAP_SETUID",
            "CAP_SETPCAP",
            "CAP_LINUX_IMMUTABLE",
            "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST",
            "CAP_NET_ADMIN",
            "CAP_NET_RAW",
            "CAP_IPC_LOCK",
            "CAP_IPC_OWNER",
            "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO",
            "CAP_SYS_CHROOT",
            "CAP_SYS_PTRACE",
            "CAP_SYS_PACCT",
            "CAP_SYS_ADMIN",
            "CAP_SYS_BOOT",
            "CAP_SYS_NICE",
            "CAP_SYS_RESOURCE",
            "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG",
            "CAP_MKNOD",
            "CAP_LEASE",
            "CAP_AUDIT_WRITE",
            "CAP_AUDIT_CONTROL",
            "CAP_SETFCAP",
            "CAP_MAC_OVERRIDE",
            "CAP_MAC_ADMIN",
            "CAP_SYSLOG",
            "CAP_WAKE_ALARM",
            "CAP_BLOCK_SUSPEND",
            "CAP_AUDIT_READ",
            "CAP_PERFMON",
            "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE"
        ],
        "cgroup": {
            "v1": true,
            "v2": true,
            "systemd": true,
            "systemdUser": true
        },
        "seccomp": {
            "enabled": true,
            "actions": [
                "SCMP_ACT_ALLOW",
                "SCMP_ACT_ERRNO",
                "SCMP_ACT_KILL",
                "SCMP_ACT_KILL_PROCESS",
                "SCMP_ACT_KILL_THREAD",
                "SCMP_ACT_LOG",
                "SCMP_ACT_NOTIFY",
                "SCMP_ACT_TRACE",
                "SCMP_ACT_TRAP"
            ],
            "operators": [
                "SCMP_CMP_EQ",
                "SCMP_CMP_GE",
                "SCMP_CMP_GT",
                "SCMP_CMP_LE",
                "SCMP_CMP_LT",
                "SCMP_CMP_MASKED_EQ",
                "SCMP_CMP_NE"
            ],
            "archs": [
                "SCMP_ARCH_AARCH64",
                "SCMP_ARCH_ARM",
                "SCMP_ARCH_MIPS",
                "SCMP_ARCH_MIPS64",
                "SCMP_ARCH_MIPS64N32",
                "SCMP_ARCH_MIPSEL",
                "SCMP_ARCH_MIPSEL64",
                "SCMP_ARCH_MIPSEL64N32",
                "SCMP_ARCH_PPC",
                "SCMP_ARCH_PPC64",
                "SCMP_ARCH_PPC64LE",
                "SCMP_ARCH_S390",
                "SCMP_ARCH_S390X",
                "SCMP_ARCH_X32",
                "SCMP_ARCH_X86",
                "SCMP_ARCH_X86_64"
            ]
        },
        "apparmor": {
            "enabled": true
        },
        "selinux": {
            "enabled": true
        }
    },
    "annotations": {
        "io.github.seccomp.libseccomp.version": "2.5.4",
        "org.opencontainers.runc.checkpoint.enabled": "true",
        "org.opencontainers.runc.commit": "1.1.5+ds1-1+deb12u1",
        "org.opencontainers.runc.version": "1.1.5+ds1"
    }
}
""";
}
