package s3

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/aws/smithy-go/logging"
)

// slogLogger sends the SDK's log lines (loglevel) to a slog.Logger: debug
// lines at debug level, warnings at warn level.
type slogLogger struct{ l *slog.Logger }

var _ logging.Logger = slogLogger{}

// Logf implements logging.Logger.
func (s slogLogger) Logf(c logging.Classification, format string, v ...any) {
	level := slog.LevelDebug
	if c == logging.Warn {
		level = slog.LevelWarn
	}
	if !s.l.Enabled(context.Background(), level) {
		return
	}
	s.l.Log(context.Background(), level, fmt.Sprintf(format, v...), slog.String("driver", Name))
}
