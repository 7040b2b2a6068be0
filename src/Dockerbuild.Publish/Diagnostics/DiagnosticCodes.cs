namespace Dockerbuild.Publish.Diagnostics;

/// <summary>
/// The package's diagnostic codes, one per thing a user can act on (the table is in the package README).
/// Build-check findings are coded with BuildKit's rule name instead (JSONArgsRecommended ...), as BuildKit reports them.
/// </summary>
internal static class DiagnosticCodes
{
    /// <summary>The full-framework MSBuild (Visual Studio's msbuild.exe): raised by the targets, listed here for the table.</summary>
    public const string FullFrameworkMsBuild = "DKB0001";

    /// <summary>Images are built on Linux only (runc, overlayfs).</summary>
    public const string PlatformNotSupported = "DKB0002";

    public const string DockerfileNotFound = "DKB1001";

    /// <summary>A syntax or instruction error in the Dockerfile, or a malformed check directive.</summary>
    public const string InvalidDockerfile = "DKB1002";

    /// <summary>The build context or a named context is not a directory.</summary>
    public const string ContextNotFound = "DKB1003";

    /// <summary>A property or item makes no valid image name, tag, build arg, label or named context.</summary>
    public const string InvalidSetting = "DKB1004";

    /// <summary>A RUN exited non-zero.</summary>
    public const string RunFailed = "DKB1101";

    /// <summary>Another step failed (COPY source missing, bad --chown user, failed download ...).</summary>
    public const string StepFailed = "DKB1102";

    /// <summary>The build failed outside any one step (planning, export).</summary>
    public const string BuildFailed = "DKB1103";

    /// <summary>The container runtime (runc, mounts, namespaces) failed.</summary>
    public const string RuntimeFailed = "DKB1201";

    /// <summary>A FROM image is in neither the local store nor its registry.</summary>
    public const string BaseImageNotFound = "DKB1301";

    /// <summary>The registry refused the credentials (or there were none and it wants some).</summary>
    public const string RegistryAuthentication = "DKB1401";

    /// <summary>Any other registry failure: unreachable, TLS, rejected upload, missing repository.</summary>
    public const string RegistryFailed = "DKB1402";

    /// <summary>A docker credential helper (credsStore/credHelpers) failed.</summary>
    public const string CredentialHelperFailed = "DKB1403";

    /// <summary>A layer or blob is unsafe or corrupt (escaping paths, digest mismatch, bad JSON).</summary>
    public const string CorruptContent = "DKB1501";

    /// <summary>Writing the image store, the archive (ContainerArchiveOutputPath) or the stamp failed.</summary>
    public const string WriteFailed = "DKB1601";

    public const string Cancelled = "DKB1901";

    /// <summary>A bug of ours: the message names the exception; the stack trace is logged at detailed verbosity.</summary>
    public const string InternalError = "DKB1999";

    /// <summary>A warning of the build itself, such as build arguments no ARG consumed.</summary>
    public const string BuildWarning = "DKB2001";
}
