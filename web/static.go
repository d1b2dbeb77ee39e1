package web

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"

	"github.com/tandemhq/tandem/static"
)

// staticFiles serves the embedded static/ folder under /static (the
// console's and the invite pages' stylesheets and scripts). Names are not
// fingerprinted, so browsers keep a file for an hour only.
func staticFiles() fiber.Handler {
	return filesystem.New(filesystem.Config{Root: http.FS(static.FS), MaxAge: 3600})
}
