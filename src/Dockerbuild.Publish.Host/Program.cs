using System.Runtime.InteropServices;
using Dockerbuild.Publish;

// The DockerfileBuild task's native host: the request on stdin, the build's events on stdout (see
// HostProtocol). SIGINT and SIGTERM (the task's Cancel, or Ctrl+C reaching the process group) cancel
// the build, which kills the running container. Exit code 0: built; 1: failed, the errors were sent.
using var cancellation = new CancellationTokenSource();
void Cancel(PosixSignalContext context)
{
    context.Cancel = true;
    cancellation.Cancel();
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
var events = new HostEventWriter(Console.Out);
ProjectImageRequest request;
using (var input = Console.OpenStandardInput())
{
    request = HostProtocol.ReadRequest(input);
}

var result = await ProjectImageBuild.RunAsync(request, events, cancellation.Token).ConfigureAwait(false);
if (result is null)
{
    return 1;
}

events.Result(result);
return 0;
