namespace MiniPaas.Tests.Analytics.Stats;

/// <summary>Stats readings as the Docker engine's <c>/containers/{id}/stats</c> endpoint answers them.</summary>
internal static class RecordedStats
{
    /// <summary>
    /// Recorded on this machine (Docker 20.10, cgroup v1, 2 CPUs) with <c>stream=false</c>: a busybox container with a 128 MiB
    /// limit running a busy loop after writing 20 MB into /dev/shm (shm pages count as "cache" but are not inactive file pages).
    /// </summary>
    public const string CgroupV1BusyLoop = """
{
  "read": "2026-11-26T00:51:46.865855323Z",
  "preread": "2026-11-26T00:51:45.861773069Z",
  "pids_stats": {
    "current": 1
  },
  "blkio_stats": {
    "io_service_bytes_recursive": [],
    "io_serviced_recursive": [],
    "io_queue_recursive": [],
    "io_service_time_recursive": [],
    "io_wait_time_recursive": [],
    "io_merged_recursive": [],
    "io_time_recursive": [],
    "sectors_recursive": []
  },
  "num_procs": 0,
  "storage_stats": {},
  "cpu_stats": {
    "cpu_usage": {
      "total_usage": 4048182628,
      "percpu_usage": [
        2775567474,
        1272615154
      ],
      "usage_in_kernelmode": 20000000,
      "usage_in_usermode": 4020000000
    },
    "system_cpu_usage": 49947390000000,
    "online_cpus": 2,
    "throttling_data": {
      "periods": 0,
      "throttled_periods": 0,
      "throttled_time": 0
    }
  },
  "precpu_stats": {
    "cpu_usage": {
      "total_usage": 3045100604,
      "percpu_usage": [
        2775567474,
        269533130
      ],
      "usage_in_kernelmode": 20000000,
      "usage_in_usermode": 3020000000
    },
    "system_cpu_usage": 49945370000000,
    "online_cpus": 2,
    "throttling_data": {
      "periods": 0,
      "throttled_periods": 0,
      "throttled_time": 0
    }
  },
  "memory_stats": {
    "usage": 20582400,
    "max_usage": 20631552,
    "stats": {
      "active_anon": 106496,
      "active_file": 0,
      "cache": 20000768,
      "dirty": 0,
      "hierarchical_memory_limit": 134217728,
      "hierarchical_memsw_limit": 268435456,
      "inactive_anon": 19955712,
      "inactive_file": 0,
      "mapped_file": 0,
      "pgfault": 1065,
      "pgmajfault": 0,
      "pgpgin": 5631,
      "pgpgout": 733,
      "rss": 61440,
      "rss_huge": 0,
      "total_active_anon": 106496,
      "total_active_file": 0,
      "total_cache": 20000768,
      "total_dirty": 0,
      "total_inactive_anon": 19955712,
      "total_inactive_file": 0,
      "total_mapped_file": 0,
      "total_pgfault": 1065,
      "total_pgmajfault": 0,
      "total_pgpgin": 5631,
      "total_pgpgout": 733,
      "total_rss": 61440,
      "total_rss_huge": 0,
      "total_unevictable": 0,
      "total_writeback": 0,
      "unevictable": 0,
      "writeback": 0
    },
    "limit": 134217728
  },
  "name": "/minipaas-test-statsrec-17780",
  "id": "17d07a7c43f169de84482b7790b237411c62d53115fc284e71e3a972f9c72b59"
}
""";

    /// <summary>
    /// A cgroup v2 reading in the engine's v2 shape (no <c>percpu_usage</c>, no <c>total_*</c> memory keys, lower-case block
    /// I/O operations, bridge networks): 4 CPUs, 150 MiB charged of which 45 MiB inactive file cache, 256 MiB limit. This host
    /// runs cgroup v1, so this one was assembled from the engine's documented v2 format rather than recorded here.
    /// </summary>
    public const string CgroupV2WithNetworks = """
{
  "read": "2026-11-25T21:14:07.512003215Z",
  "preread": "2026-11-25T21:14:06.508113804Z",
  "pids_stats": {
    "current": 3,
    "limit": 4915
  },
  "blkio_stats": {
    "io_service_bytes_recursive": [
      {
        "major": 259,
        "minor": 0,
        "op": "read",
        "value": 4096000
      },
      {
        "major": 259,
        "minor": 0,
        "op": "write",
        "value": 8192000
      }
    ],
    "io_serviced_recursive": null,
    "io_queue_recursive": null,
    "io_service_time_recursive": null,
    "io_wait_time_recursive": null,
    "io_merged_recursive": null,
    "io_time_recursive": null,
    "sectors_recursive": null
  },
  "num_procs": 0,
  "storage_stats": {},
  "cpu_stats": {
    "cpu_usage": {
      "total_usage": 9612345000,
      "usage_in_kernelmode": 412345000,
      "usage_in_usermode": 9200000000
    },
    "system_cpu_usage": 418221650000000,
    "online_cpus": 4,
    "throttling_data": {
      "periods": 0,
      "throttled_periods": 0,
      "throttled_time": 0
    }
  },
  "precpu_stats": {
    "cpu_usage": {
      "total_usage": 9112345000,
      "usage_in_kernelmode": 412345000,
      "usage_in_usermode": 8700000000
    },
    "system_cpu_usage": 418217650000000,
    "online_cpus": 4,
    "throttling_data": {
      "periods": 0,
      "throttled_periods": 0,
      "throttled_time": 0
    }
  },
  "memory_stats": {
    "usage": 157286400,
    "stats": {
      "active_anon": 94371840,
      "active_file": 5242880,
      "anon": 104857600,
      "anon_thp": 0,
      "file": 52428800,
      "file_dirty": 0,
      "file_mapped": 0,
      "file_writeback": 0,
      "inactive_anon": 10485760,
      "inactive_file": 47185920,
      "kernel_stack": 49152,
      "pgactivate": 0,
      "pgdeactivate": 0,
      "pgfault": 41547,
      "pglazyfree": 0,
      "pglazyfreed": 0,
      "pgmajfault": 0,
      "pgrefill": 0,
      "pgscan": 0,
      "pgsteal": 0,
      "shmem": 0,
      "slab": 1048576,
      "slab_reclaimable": 524288,
      "slab_unreclaimable": 524288,
      "sock": 0,
      "thp_collapse_alloc": 0,
      "thp_fault_alloc": 0,
      "unevictable": 0,
      "workingset_activate": 0,
      "workingset_nodereclaim": 0,
      "workingset_refault": 0
    },
    "limit": 268435456
  },
  "name": "/minipaas-demo-42",
  "id": "9c1a0b2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b",
  "networks": {
    "eth0": {
      "rx_bytes": 1048576,
      "rx_packets": 812,
      "rx_errors": 0,
      "rx_dropped": 0,
      "tx_bytes": 2097152,
      "tx_packets": 640,
      "tx_errors": 0,
      "tx_dropped": 0
    },
    "eth1": {
      "rx_bytes": 4096,
      "rx_packets": 12,
      "rx_errors": 0,
      "rx_dropped": 0,
      "tx_bytes": 1024,
      "tx_packets": 8,
      "tx_errors": 0,
      "tx_dropped": 0
    }
  }
}
""";
}
