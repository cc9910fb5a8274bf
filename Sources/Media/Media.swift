// Recorded workloads and real codecs (libopus, libvpx) live here.
