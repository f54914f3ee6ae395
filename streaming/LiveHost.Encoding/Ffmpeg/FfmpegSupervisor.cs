using FFMpegCore;
using Microsoft.Extensions.Logging;

namespace LiveHost.Encoding.Ffmpeg;

/// <summary>
/// Runs one ffmpeg process after another for as long as its input is open. A process that ends while input is
/// still expected has died: its last stderr lines are logged, and a fresh one starts after
/// <see cref="EncoderOptions.RestartBackoff"/>.
/// </summary>
/// <param name="name">Which stream this is, for logs ("video", "audio").</param>
/// <param name="runOnce">Starts one process and completes when it has exited. The token source it gets kills that process.</param>
internal sealed class FfmpegSupervisor(
    string name,
    Func<StderrTail, CancellationTokenSource, Task<FFMpegResult>> runOnce,
    Action onRestart,
    EncoderOptions options,
    ILogger logger,
    TimeProvider timeProvider)
{
    /// <param name="stopping">Set when the input is closed: the running process is left to finish, and none is started after it.
    /// The first process always starts, so that input closed right after start is still encoded.</param>
    /// <param name="kill">Kills the running process at once.</param>
    public async Task RunAsync(CancellationToken stopping, CancellationToken kill)
    {
        while (!kill.IsCancellationRequested)
        {
            var stderr = new StderrTail(options.StderrLinesKept);
            using var killThisRun = CancellationTokenSource.CreateLinkedTokenSource(kill);
            FFMpegResult? result = null;
            Exception? failure = null;
            try
            {
                result = await runOnce(stderr, killThisRun).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            var exitCode = result?.ExitCode ?? -1;
            if (stopping.IsCancellationRequested || kill.IsCancellationRequested)
            {
                EncoderLog.ProcessFinished(logger, name, exitCode);
                return;
            }

            onRestart();
            EncoderLog.ProcessDied(logger, name, exitCode, options.RestartBackoff, stderr.ToString(), failure);
            try
            {
                await Task.Delay(options.RestartBackoff, timeProvider, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
