namespace Dockerbuild.Tasks.Tests.EndToEnd;

/// <summary>Dockerfile lines for an image of the machine's static busybox (copied into the context by <see cref="TestProject.AddBusybox"/>).</summary>
internal static class BusyboxDockerfile
{
    public const string Base = "FROM scratch\nCOPY busybox /bin/busybox\nCOPY busybox /bin/sh\n";
}
