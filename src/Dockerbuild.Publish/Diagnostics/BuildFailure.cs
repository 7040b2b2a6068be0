using Dockerbuild.Dockerfile;
using Dockerbuild.Engine;
using Dockerbuild.Engine.Execution;
using Dockerbuild.Engine.Runtime;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Json;
using Dockerbuild.Oci.Layers;
using Dockerbuild.Oci.Registry;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Publish.Diagnostics;

/// <summary>
/// One coded MSBuild error for an exception of the engine: the code says what kind of failure it is, the
/// location is the Dockerfile line when one is known (the exception's own span, else the span of the
/// step that failed), the message is the engine's one line.
/// </summary>
internal sealed record BuildFailure(string Code, DiagnosticLocation Location, string Message)
{
    /// <summary>How many of a failed RUN's last output lines the error repeats, as docker shows them.</summary>
    public const int OutputTailLines = 10;

    /// <param name="failedStep">Where the step that reported the failure stands, when the exception does not say.</param>
    /// <param name="dockerfile">The Dockerfile, for failures of the build as a whole.</param>
    /// <returns>Null for exceptions that are bugs rather than build failures.</returns>
    public static BuildFailure? From(Exception exception, SourceSpan? failedStep, string dockerfile)
    {
        var failure = Map(exception, failedStep, dockerfile);
        // The engine names the file as the Dockerfile's name alone; IDEs and CI annotations need the path.
        return failure is { Location.File: not null } ? failure with { Location = failure.Location with { File = dockerfile } } : failure;
    }

    private static BuildFailure? Map(Exception exception, SourceSpan? failedStep, string dockerfile)
    {
        var here = failedStep is null ? DiagnosticLocation.OfFile(dockerfile) : DiagnosticLocation.Of(failedStep);
        switch (exception)
        {
            case BuildStepException run:
                var tail = run.OutputTail.TakeLast(OutputTailLines).ToList();
                var message = tail.Count == 0 ? Reason(run) : Reason(run) + Environment.NewLine + string.Join(Environment.NewLine, tail.Select(line => "  > " + line));
                return new(DiagnosticCodes.RunFailed, DiagnosticLocation.Of(run.Span), message);
            case DockerfileException { InnerException: null } invalid:
                return new(DiagnosticCodes.InvalidDockerfile, DiagnosticLocation.Of(invalid.Span), invalid.Reason);
            case DockerfileException located when NamesMissingImage(located):
                // FROM (or COPY --from) names an image that neither the store nor its registry has.
                return new(DiagnosticCodes.BaseImageNotFound, DiagnosticLocation.Of(located.Span), located.Reason);
            case DockerfileException located:
                // A failure at a known line (FROM could not reach its registry ...): the cause's code, the line's location.
                var cause = Map(located.InnerException!, located.Span, dockerfile);
                return cause is null
                    ? new(DiagnosticCodes.StepFailed, DiagnosticLocation.Of(located.Span), located.Reason)
                    : cause with { Location = DiagnosticLocation.Of(located.Span), Message = located.Reason };
            case BuildException { InnerException: RegistryException registry } wrapped:
                return Map(registry, failedStep, dockerfile)! with { Message = wrapped.Message };
            case BuildException { InnerException: ImageNotFoundException }:
                return new(DiagnosticCodes.BaseImageNotFound, here, exception.Message);
            case BuildException or Engine.Execution.Copy.CopyException or UnknownUserException:
                return new(failedStep is null ? DiagnosticCodes.BuildFailed : DiagnosticCodes.StepFailed, here, exception.Message);
            case ImageNotFoundException:
                return new(DiagnosticCodes.BaseImageNotFound, here, exception.Message);
            case CredentialHelperException:
                return new(DiagnosticCodes.CredentialHelperFailed, here, exception.Message);
            case RegistryAuthenticationException:
                return new(DiagnosticCodes.RegistryAuthentication, here, exception.Message);
            case RegistryException:
                return new(DiagnosticCodes.RegistryFailed, here, exception.Message);
            case ContainerRuntimeException or ContainerRunException or MountException:
                return new(DiagnosticCodes.RuntimeFailed, here, exception.Message);
            case UnsafeLayerException or DigestMismatchException or BlobNotFoundException or OciFormatException:
                return new(DiagnosticCodes.CorruptContent, here, exception.Message);
            case PlatformNotSupportedException:
                return new(DiagnosticCodes.PlatformNotSupported, DiagnosticLocation.None, exception.Message + " Dockerbuild builds images on Linux only.");
            case DirectoryNotFoundException:
                return new(DiagnosticCodes.ContextNotFound, here, exception.Message);
            case IOException or UnauthorizedAccessException:
                return new(DiagnosticCodes.WriteFailed, here, exception.Message);
            default:
                return null;
        }
    }

    private static bool NamesMissingImage(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is ImageNotFoundException or RegistryNotFoundException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The engine's message without its <c>file:line:</c> prefix, which MSBuild's location replaces.</summary>
    private static string Reason(BuildStepException run)
    {
        var prefix = $"{run.Span.File}:{run.Span.StartLine}: ";
        return run.Message.StartsWith(prefix, StringComparison.Ordinal) ? run.Message[prefix.Length..] : run.Message;
    }
}
