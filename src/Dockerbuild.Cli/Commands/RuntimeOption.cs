using System.CommandLine;
using Dockerbuild.Engine.Runtime;

namespace Dockerbuild.Cli.Commands;

/// <summary>
/// <c>--runtime PATH|NAME</c> of build and run (buildah's and podman's option): the OCI runtime binary
/// that runs containers, such as crun; <c>DOCKERBUILD_RUNTIME</c> when not given, else runc.
/// </summary>
internal static class RuntimeOption
{
    public const string Name = "--runtime";

    public static Option<string?> Create() => new(Name)
    {
        Description = $"The OCI runtime binary, runc-compatible (default: ${RuncRuntimeOptions.BinaryVariable}, else runc)",
    };

    /// <summary>A runtime for the given binary; null leaves the engine's default (the variable, else runc).</summary>
    public static IOciRuntime? Resolve(string? binary) =>
        binary is { Length: > 0 } ? new RuncRuntime(new RuncRuntimeOptions { Binary = binary }) : null;
}
