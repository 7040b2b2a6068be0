using System.Text.Json.Serialization;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary>
/// One typed Dockerfile instruction. Values that the build expands (paths, names, flag values) are kept
/// as written; the engine expands them with the build's environment, as BuildKit does at dispatch.
/// </summary>
/// <param name="Keyword">The keyword exactly as written (case kept, for casing checks and messages).</param>
/// <param name="Span">Where the instruction stands in the file.</param>
/// <param name="Original">The instruction's text as written, continuations joined.</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "instruction")]
[JsonDerivedType(typeof(FromInstruction), "FROM")]
[JsonDerivedType(typeof(RunInstruction), "RUN")]
[JsonDerivedType(typeof(CmdInstruction), "CMD")]
[JsonDerivedType(typeof(LabelInstruction), "LABEL")]
[JsonDerivedType(typeof(MaintainerInstruction), "MAINTAINER")]
[JsonDerivedType(typeof(ExposeInstruction), "EXPOSE")]
[JsonDerivedType(typeof(EnvInstruction), "ENV")]
[JsonDerivedType(typeof(AddInstruction), "ADD")]
[JsonDerivedType(typeof(CopyInstruction), "COPY")]
[JsonDerivedType(typeof(EntrypointInstruction), "ENTRYPOINT")]
[JsonDerivedType(typeof(VolumeInstruction), "VOLUME")]
[JsonDerivedType(typeof(UserInstruction), "USER")]
[JsonDerivedType(typeof(WorkdirInstruction), "WORKDIR")]
[JsonDerivedType(typeof(ArgInstruction), "ARG")]
[JsonDerivedType(typeof(OnbuildInstruction), "ONBUILD")]
[JsonDerivedType(typeof(StopsignalInstruction), "STOPSIGNAL")]
[JsonDerivedType(typeof(HealthcheckInstruction), "HEALTHCHECK")]
[JsonDerivedType(typeof(ShellInstruction), "SHELL")]
public abstract record Instruction(string Keyword, SourceSpan Span, string Original)
{
    /// <summary>The canonical upper-case name (RUN, COPY, ...).</summary>
    [JsonIgnore]
    public abstract string Name { get; }
}
